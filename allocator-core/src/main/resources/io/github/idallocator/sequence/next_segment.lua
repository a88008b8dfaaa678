-- next_segment: grants the next segment [first, first + size - 1] of a sequence and moves its counter past it.
-- KEYS[1] the sequence hash: next (decimal string, the first id not yet granted), segments (count),
--         reserved (ids granted, decimal string), repairs (times the counter was found below a caller's floor).
-- ARGV[1] size (1 .. 2^31), ARGV[2] floor: the lowest id the caller may be given (its highest id seen + 1, or the
--         configured floor), ARGV[3] initial value for a sequence not yet in Redis, ARGV[4] repair gap (0 .. 2^40):
--         added to the floor when the counter is found below it (data was lost; other instances may hold ids above
--         the caller's floor). Ids are decimal strings of non-negative 64-bit integers; arithmetic is done on the
--         strings, so it is exact up to 2^63 - 1.
-- Returns {first, last, moved (1 when the counter, or the initial value, was below the floor and was moved up)}; the
--         last segment is cut at 2^63 - 1; an IDALLOC_SEQUENCE_EXHAUSTED error when no id is left (nothing written).
-- Complexity: O(1).
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

-- a - b for decimal strings with 0 <= a - b < 10^15, exact: only the last 15 digits matter.
local function small_diff(a, b)
  local d = tonumber(string.sub(a, -15)) - tonumber(string.sub(b, -15))
  if d < 0 then d = d + 1e15 end
  return d
end

local t = redis.call('TYPE', KEYS[1])['ok']
if t ~= 'none' and t ~= 'hash' then
  return redis.error_reply('IDALLOC_WRONGTYPE ' .. KEYS[1] .. ' ' .. t .. ' hash')
end
local size, floor, initial, gap = tonumber(ARGV[1]), ARGV[2], ARGV[3], tonumber(ARGV[4])
local first = redis.call('HGET', KEYS[1], 'next') or initial
local repaired = 0
if cmp(first, floor) < 0 then
  first = add(floor, gap)
  repaired = 1
end
if cmp(first, MAX) > 0 then
  return redis.error_reply('IDALLOC_SEQUENCE_EXHAUSTED ' .. first .. ' ' .. size)
end
local last = add(first, size - 1)
local granted = size
if cmp(last, MAX) > 0 then
  last = MAX
  granted = small_diff(MAX, first) + 1
end
local reserved = add(redis.call('HGET', KEYS[1], 'reserved') or '0', granted)
redis.call('HSET', KEYS[1], 'next', add(last, 1), 'reserved', reserved)
redis.call('HINCRBY', KEYS[1], 'segments', 1)
if repaired == 1 then redis.call('HINCRBY', KEYS[1], 'repairs', 1) end
return { first, last, repaired }
