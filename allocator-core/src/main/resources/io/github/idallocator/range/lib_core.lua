-- Shared head of every range-allocator script: key names, constants, server time, validation and the lease encoding.
-- The Java side prepends it (and lib_bits.lua, lib_leases.lua when an operation needs them) to each operation's file,
-- so each script stays atomic and self-contained (one EVALSHA) and defines only the helpers it uses. Its contract on
-- the Java side: RangeScripts (which also holds LAYOUT; a test checks that both say the same).
--
-- KEYS (the same nine, in this order, for every range script; one hash tag, so one cluster slot):
--   1 meta       hash    min, max, layout (the configuration fingerprint), born (server ms when this state was
--                        created: new, or recreated after Redis lost it), token (the last fencing token),
--                        extra (ids of live range leases beyond their first), resting (ids resting), reclaimed
--   2 bitmap     string  bit i = 1 when offset i is leased or resting
--   3 full       string  bit b = 1 only when block b (4096 offsets) has no clear bit; 0 means "may have one".
--                        Kept only when the range has more than SUMMARY_MIN_BLOCKS blocks (see below).
--   4 leases     hash    first offset -> "owner|token|expiryMs|last offset" (expiryMs -1: never expires)
--   5 deadlines  zset    first offset scored by expiryMs (leases that expire)
--   6 ranges     zset    first offset scored by first offset (leases of more than one id)
--   7 resting    zset    "first-last" scored by the server time at which the ids become free again
--   8 creator    string  instance id of the creator, with a PX expiry
--   9 notes      hash    first offset -> note left with the id by its last holder (outlives the lease)
-- ARGV (common head): 1 min id, 2 max id (decimal strings, the configured range), 3 size (max - min + 1),
--   4 reuse delay in ms, 5 recovery period in ms (0: none). Operation arguments start at ARGV[6].
-- Ids are handled as offsets from min (0 .. size - 1) so Lua numbers stay exact.
-- Errors a script raises on purpose are 'IDALLOC_<CODE> field1 field2 ...' (fields without spaces), decoded in Java
-- into typed exceptions: IDALLOC_WRONGTYPE key actual-type expected-type, IDALLOC_MISMATCH stored-min stored-max
-- stored-layout, IDALLOC_CORRUPT free-ids (see allocate.lua).
-- Leased ids = HLEN(leases) + meta.extra, so leasing or freeing a single id writes no counter.

local K_META, K_BITMAP, K_FULL, K_LEASES = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local K_DEADLINES, K_RANGES, K_RESTING, K_CREATOR, K_NOTES = KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9]
local SIZE = tonumber(ARGV[3])
local REUSE_DELAY = tonumber(ARGV[4])
local RECOVERY = tonumber(ARGV[5])
local LAYOUT = 'v2'
local BLOCK_BITS = 4096
local NBLOCKS = math.ceil(SIZE / BLOCK_BITS)
-- Up to 64 blocks (2^18 ids, a 32 KiB bitmap) one BITPOS over the whole bitmap costs about what keeping the summary
-- costs per allocate+free (one more BITPOS and SETBIT; figures in docs/benchmarks.md), so the summary starts above.
local SUMMARY_MIN_BLOCKS = 64
local SUMMARY = NBLOCKS > SUMMARY_MIN_BLOCKS

-- Server time of the last now_ms() call in microseconds (exact in a Lua number until the year 2255).
local now_us = 0

local function now_ms()
  local t = redis.call('TIME')
  now_us = tonumber(t[1]) * 1000000 + tonumber(t[2])
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Counters of the meta hash and the time the state was created, read once by check_state.
local extra_ids, resting_ids, born = 0, 0, 0

-- An error reply when one of the nine keys holds data of another type (data we did not write), else nil.
local function check_types()
  local expected = { 'hash', 'string', 'string', 'hash', 'zset', 'zset', 'zset', 'string', 'hash' }
  for i = 1, 9 do
    local t = redis.call('TYPE', KEYS[i])['ok']
    if t ~= 'none' and t ~= expected[i] then
      return redis.error_reply('IDALLOC_WRONGTYPE ' .. KEYS[i] .. ' ' .. t .. ' ' .. expected[i])
    end
  end
  return nil
end

-- Validates before the first write: an error reply when the allocator stored in Redis was created with another range
-- or layout, or (when it is created here) when any of its keys holds data of another type; nil when the script may
-- go on. Once created, a key of another type makes Redis refuse our command (WRONGTYPE) instead of overwriting it.
local function check_state()
  local stored = redis.call('HMGET', K_META, 'min', 'max', 'layout', 'extra', 'resting', 'born')
  if not stored[1] then
    local bad = check_types()
    if bad then return bad end
    born = now_ms()
    redis.call('HSET', K_META, 'min', ARGV[1], 'max', ARGV[2], 'layout', LAYOUT, 'born', born)
    return nil
  end
  if stored[1] ~= ARGV[1] or stored[2] ~= ARGV[2] or stored[3] ~= LAYOUT then
    return redis.error_reply('IDALLOC_MISMATCH ' .. stored[1] .. ' ' .. tostring(stored[2]) .. ' ' .. tostring(stored[3]))
  end
  extra_ids, resting_ids, born = tonumber(stored[4] or '0'), tonumber(stored[5] or '0'), tonumber(stored[6] or '0')
  return nil
end

-- Milliseconds left of the recovery period (0 when over or none): after the state was created (new, or recreated
-- after Redis lost it), new grants wait this long so that holders still alive can re-register. check_state must
-- have run. A server clock that stepped back never makes the wait longer than the period.
local function recovery_left(now)
  if RECOVERY <= 0 then return 0 end
  local left = born + RECOVERY - now
  if left <= 0 then return 0 end
  return math.min(left, RECOVERY)
end

-- The next fencing token: above the last one and at least the server time in microseconds (of the script's now_ms()
-- call), so tokens keep increasing after Redis lost the counter (a restart without persistence, FLUSHALL, a failover
-- to a replica that missed writes): a script that runs after the loss reads a later time than every script before
-- it, and tokens never run ahead of that time (a script issuing n tokens runs longer than n microseconds). Unless
-- the server clock stepped back. string.format keeps the 16-digit value exact (Lua's tostring would round it).
local function next_token(now)
  local token = tonumber(redis.call('HGET', K_META, 'token') or '0') + 1
  local floor = now_us
  if floor == 0 then floor = now * 1000 end
  if token < floor then token = floor end
  redis.call('HSET', K_META, 'token', string.format('%d', token))
  return token
end

local function encode_lease(owner, token, expiry, last)
  return owner .. '|' .. string.format('%d', token) .. '|' .. expiry .. '|' .. last
end

-- owner, token, expiry (ms, -1 = never), last offset. An owner never holds '|' (instance ids are checked), so the
-- pattern matches in one pass (a greedy '(.*)' would backtrack over the whole value).
local LEASE_PATTERN = '^([^|]*)|(%d+)|(-?%d+)|(%d+)$'

local function decode_lease(value)
  local owner, token, expiry, last = string.match(value, LEASE_PATTERN)
  return owner, tonumber(token), tonumber(expiry), tonumber(last)
end

local function is_live(expiry, now)
  return expiry == -1 or expiry > now
end
