-- register: a running instance confirms the ids it has been granted (handed out or still held in its segments). When
-- the counter is below them (Redis lost data: a restart without persistence, FLUSHALL, a failover to a replica that
-- missed writes), it moves the counter to their top + 1 + the repair gap, so that no instance is granted them again.
-- needs: lib_sequence.lua
-- KEYS[1] the sequence hash (see lib_sequence.lua).
-- ARGV[1] floor: the caller's high-water mark + 1 (the lowest id it has not been granted), ARGV[2] repair gap
--         (0 .. 2^40), ARGV[3] recovery period in ms (0: none; a hash this script creates is born now, so new
--         instances wait for the other running instances to register too).
-- A repair also sets `born` to now (the recovery period starts again: new instances wait for the other running
--         instances to register too).
-- Returns {moved (1 when the counter was below the floor and was moved up, else 0), the counter after the call}.
--         Without a repair nothing is written (except `born` on a hash written before it was recorded).
-- Complexity: O(1).
local wrong = check_type()
if wrong then return wrong end
local floor, gap, recovery = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local now = 0
if recovery > 0 then
  now = now_ms()
  born_ms(now)
end
local counter = redis.call('HGET', KEYS[1], 'next')
if counter and cmp(counter, floor) >= 0 then
  return { 0, counter }
end
local moved = add(floor, gap)
if cmp(moved, MAX) > 0 then moved = add(MAX, 1) end
redis.call('HSET', KEYS[1], 'next', moved)
if recovery > 0 then
  -- the loss may have kept the hash and its birth (a failover to a replica that missed writes): new instances wait
  -- again while the other running instances re-register
  redis.call('HSET', KEYS[1], 'born', string.format('%d', now))
end
redis.call('HINCRBY', KEYS[1], 'repairs', 1)
return { 1, moved }
