-- remove: takes a resource out of the pool. DRAIN: no new leases, the resource is deleted when its last holder leaves
-- (at once when it has none). FORCE: deleted at once; its leases are revoked (their owners are kept one day in the
-- revoked set, so that their renewals and releases learn why they were refused).
-- needs: lib_pool.lua
-- KEYS: the pool's keys (see lib_pool.lua); the last ARGV is maxHolders (see there).
-- ARGV[1] resource, ARGV[2] 'DRAIN' or 'FORCE'.
-- Returns {0} when the pool has no such resource; {1, revoked leases} when it was deleted; {2, holders} when it is
--   draining until its holders leave.
-- Complexity: O(log n) for DRAIN; O(h log n) for FORCE, h its holders (at most maxHolders).
local cap = max_holders()
local r = ARGV[1]
local old = load(r)
if not old then return { 0 } end
if ARGV[2] == 'DRAIN' and old.holders > 0 then
  if old.state ~= 'D' then
    local rec = copy(old)
    rec.state, rec.quntil = 'D', 0
    store(r, rec)
    sync_free(r, old, rec, cap)
    redis.call('ZREM', QUAR, r)
    redis.call('HDEL', INFO, 'q|' .. r, 's|' .. r)
    redis.call('HINCRBY', META, 'draining', 1)
  end
  return { 2, old.holders }
end
local now = now_ms()
local held = redis.call('ZRANGEBYLEX', HOLDERS, '[' .. r .. '|', '[' .. r .. '|\255')
for _, member in ipairs(held) do
  local owner = string.sub(member, #r + 2)
  redis.call('HDEL', LEASES, owner)
  redis.call('ZREM', DEADLINES, owner)
  redis.call('ZREM', HOLDERS, member)
  redis.call('ZADD', REVOKED, now, owner)
end
if #held > 0 then redis.call('HINCRBY', META, 'revoked', #held) end
delete_resource(r, old, cap)
return { 1, #held }
