-- Shared head of the sequence scripts (next_segment.lua, register.lua): decimal arithmetic, the type check, Redis
-- server time and the record of when the sequence hash was born. The Java side prepends it to each operation's file,
-- so each script stays one atomic EVALSHA.
--
-- KEYS[1] the sequence hash: next (decimal string, the first id not yet granted; absent: the caller's initial value),
--         reserved (ids granted, decimal string), segments (count), repairs (times the counter was found below a
--         caller's floor), born (Redis server time in ms when a script created the hash; its recovery period runs
--         from then).
-- Ids are decimal strings of non-negative 64-bit integers; arithmetic is done on the strings, so it is exact up to
-- 2^63 - 1 (Lua numbers are doubles, exact only to 2^53).
-- Errors a script raises on purpose are 'IDALLOC_<CODE> field1 field2 ...' (fields without spaces), decoded in Java
-- (SequenceScripts) into typed exceptions: IDALLOC_WRONGTYPE key actual-type hash, IDALLOC_SEQUENCE_EXHAUSTED first size.
local MAX = '9223372036854775807'

-- Compares two non-negative decimal strings without leading zeros: -1, 0 or 1.
local function cmp(a, b)
  if #a ~= #b then return #a < #b and -1 or 1 end
  if a == b then return 0 end
  return a < b and -1 or 1
end

-- a + n for a non-negative decimal string a and a small non-negative integer n.
local function add(a, n)
  local digits = {}
  local carry = n
  for i = #a, 1, -1 do
    local d = tonumber(string.sub(a, i, i)) + carry
    digits[i] = d % 10
    carry = math.floor(d / 10)
  end
  local s = table.concat(digits)
  while carry > 0 do
    s = tostring(carry % 10) .. s
    carry = math.floor(carry / 10)
  end
  return s
end

-- The hash's type must be none or hash; anything else is data idallocator did not write.
local function check_type()
  local t = redis.call('TYPE', KEYS[1])['ok']
  if t ~= 'none' and t ~= 'hash' then
    return redis.error_reply('IDALLOC_WRONGTYPE ' .. KEYS[1] .. ' ' .. t .. ' hash')
  end
  return nil
end

-- Redis server time in ms.
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- When the hash was born (ms), creating or correcting the record: a missing hash (new, or lost with Redis data) is
-- born now; a hash written before born was recorded is old (born 0); a birth in the future (the server clock stepped
-- back) is moved to now, so the recovery period never lasts longer than configured.
local function born_ms(now)
  local born = redis.call('HGET', KEYS[1], 'born')
  if born then
    born = tonumber(born)
    if born <= now then return born end
  elseif redis.call('HLEN', KEYS[1]) > 0 then
    redis.call('HSET', KEYS[1], 'born', '0')
    return 0
  end
  redis.call('HSET', KEYS[1], 'born', string.format('%d', now))
  return now
end
