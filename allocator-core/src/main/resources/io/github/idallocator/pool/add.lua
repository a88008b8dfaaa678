-- add: adds a resource, or changes the priority and metadata of the resource of that name; a draining resource is taken
-- back into service, a quarantined one stays quarantined.
-- needs: lib_pool.lua
-- KEYS: the pool's keys (see lib_pool.lua); the last ARGV is maxHolders (see there).
-- ARGV[1] resource, ARGV[2] priority (0 to 1000000), ARGV[3] '1' to set the metadata to ARGV[4], '0' to keep it,
-- ARGV[5] the release channel, ARGV[6] the pool's name (the message).
-- Returns {1} when the resource is new, {0} when it existed.
-- Complexity: O(log n): HGET, HSET, ZADD (and ZREM when its free-set entry moves), PUBLISH when callers wait.
local cap = max_holders()
local r = ARGV[1]
local old = load(r)
local rec
if old then
  rec = copy(old)
  rec.prio = tonumber(ARGV[2])
  if old.state == 'D' then
    rec.state = 'A'
    redis.call('HINCRBY', META, 'draining', -1)
  end
else
  rec = { state = 'A', prio = tonumber(ARGV[2]), holders = 0, last = 0, quntil = 0, token = 0 }
end
store(r, rec)
sync_free(r, old, rec, cap)
if ARGV[3] == '1' then
  redis.call('HSET', INFO, 'm|' .. r, ARGV[4])
end
if can_take(rec, cap) and not can_take(old, cap) then
  wake_waiters(ARGV[5], ARGV[6])
end
if old then return { 0 } end
return { 1 }
