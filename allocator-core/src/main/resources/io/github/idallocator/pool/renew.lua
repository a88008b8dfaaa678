-- renew: extends the caller's lease to ARGV[3] ms from now, only while it is the caller's under the same token and has
-- not expired; an expired lease found here is collected (its resource takes a holder again).
-- needs: lib_pool.lua
-- KEYS: the pool's keys (see lib_pool.lua); the last ARGV is maxHolders (see there).
-- ARGV[1] owner id, ARGV[2] fencing token (decimal), ARGV[3] lease time in ms.
-- Returns {1, expiresMs} when renewed; {0, 1} when the lease expired or Redis no longer holds it; {0, 2} when it was
--   revoked (forced removal of its resource).
-- Complexity: O(log n): HGET, HSET, ZADD.
local cap = max_holders()
local now = now_ms()
local owner = ARGV[1]
local token, exp, r = lease_of(owner)
if not token or fmt(token) ~= ARGV[2] then
  if redis.call('ZSCORE', REVOKED, owner) then return { 0, 2 } end
  return { 0, 1 }
end
if exp < now then
  end_lease(owner, r, now, false, cap)
  redis.call('HINCRBY', META, 'expired', 1)
  return { 0, 1 }
end
local renewed = now + tonumber(ARGV[3])
redis.call('HSET', LEASES, owner, fmt(token) .. '|' .. fmt(renewed) .. '|' .. r)
redis.call('ZADD', DEADLINES, renewed, owner)
return { 1, renewed }
