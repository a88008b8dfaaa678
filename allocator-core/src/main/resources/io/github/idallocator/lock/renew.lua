-- renew: extends the caller's lease to ARGV[3] ms from now, only while the caller still holds the lock under the same
-- token: a renewal that runs after a release, or after the lease expired and someone else took the lock, changes
-- nothing.
-- needs: lib_lock.lua
-- KEYS[1] the lock hash (see lib_lock.lua).
-- ARGV[1] owner id, ARGV[2] fencing token (decimal), ARGV[3] lease time in ms (1 or more).
-- Returns {1} when renewed; {0, token of the current holder} when another owner holds the lock; {0, -1} when nobody
--   does (expired, released, or Redis lost it).
-- Complexity: O(1): HMGET, PEXPIRE.
local held = redis.call('HMGET', KEYS[1], 'owner', 'token')
if held[1] == ARGV[1] and held[2] == ARGV[2] then
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return { 1 }
end
if held[1] then
  return { 0, tonumber(held[2]) }
end
return { 0, -1 }
