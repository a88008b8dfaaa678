-- next_segment: grants the next segment [first, first + size - 1] of a sequence and moves its counter past it.
-- needs: lib_sequence.lua
-- KEYS[1] the sequence hash (see lib_sequence.lua).
-- ARGV[1] size (1 .. 2^31), ARGV[2] floor: the lowest id the caller may be given (its highest id seen + 1, or the
--         configured floor), ARGV[3] initial value for a sequence not yet in Redis, ARGV[4] repair gap (0 .. 2^40):
--         added to the floor when the counter is found below it (data was lost; other instances may hold ids above
--         the caller's floor), ARGV[5] recovery period in ms (0: none), ARGV[6] 1 when the caller is a new instance
--         (it has no high-water mark), else 0.
-- A new instance is refused while the hash is younger than the recovery period (born - see lib_sequence.lua - less
--         than ARGV[5] ms ago by Redis server time): running instances re-register what they hold (register.lua) in
--         that time. The refusal writes nothing, except `born` when it creates the hash. A running instance that finds
--         the counter below its floor (a repair) sets `born` to now: the loss may have kept the hash (a failover to a
--         replica that missed writes), and new instances must wait for the other running instances again.
-- Returns {first, last, moved (1 when the counter, or the initial value, was below the floor and was moved up)}; the
--         last segment is cut at 2^63 - 1; {'RECOVERING', ms until the recovery period ends} for a refused new
--         instance; an IDALLOC_SEQUENCE_EXHAUSTED error when no id is left (nothing written).
-- Complexity: O(1).

-- a - b for decimal strings with 0 <= a - b < 10^15, exact: only the last 15 digits matter.
local function small_diff(a, b)
  local d = tonumber(string.sub(a, -15)) - tonumber(string.sub(b, -15))
  if d < 0 then d = d + 1e15 end
  return d
end

local wrong = check_type()
if wrong then return wrong end
local size, floor, initial, gap = tonumber(ARGV[1]), ARGV[2], ARGV[3], tonumber(ARGV[4])
local recovery, new_instance = tonumber(ARGV[5]), ARGV[6] == '1'
local now = 0
if recovery > 0 then
  now = now_ms()
  local ends = born_ms(now) + recovery
  if new_instance and now < ends then
    return { 'RECOVERING', string.format('%d', ends - now) }
  end
end
local first = redis.call('HGET', KEYS[1], 'next') or initial
local repaired = 0
if cmp(first, floor) < 0 then
  first = add(floor, gap)
  repaired = 1
  if recovery > 0 and not new_instance then
    -- a running instance found the counter below ids it was granted: Redis lost data (a failover to a replica that
    -- missed writes keeps an old hash and an old birth), so new instances wait again while the others re-register
    redis.call('HSET', KEYS[1], 'born', string.format('%d', now))
  end
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
