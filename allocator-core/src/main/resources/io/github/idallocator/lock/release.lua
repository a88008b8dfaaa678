-- release: ends the caller's lease when it still holds the lock under the same token, keeps the token as a tombstone
-- for the token retention (or deletes the hash when the retention is 0) and, when a waiter was refused while it was
-- held (the 'waiting' mark), publishes the lock's name on the namespace's channel, so that waiters try again at once.
-- needs: lib_lock.lua
-- KEYS[1] the lock hash (see lib_lock.lua).
-- ARGV[1] owner id, ARGV[2] fencing token (decimal; '' for whatever token this owner holds: an acquire whose reply was
-- lost), ARGV[3] token retention in ms (0: delete the hash), ARGV[4] the namespace's release channel, ARGV[5] the lock
-- name (the message).
-- Returns {1} RELEASED (also for a retried release whose first call released: its token is the one recorded as
--   released); {2} ALREADY_EXPIRED (nobody holds the lock); {3, token of the current holder} HELD_BY_OTHER. Only a
--   release of the holder's own lease writes anything.
-- Complexity: O(1): HMGET, then HDEL, HSET, PEXPIRE (or DEL), and with waiters PUBLISH (O(subscribers of the
-- channel)).
local held = redis.call('HMGET', KEYS[1], 'owner', 'token', 'released', 'waiting')
if held[1] == ARGV[1] and (ARGV[2] == '' or held[2] == ARGV[2]) then
  if ARGV[3] == '0' then
    redis.call('DEL', KEYS[1])
  else
    redis.call('HDEL', KEYS[1], 'owner', 'waiting')
    redis.call('HSET', KEYS[1], 'released', held[2])
    redis.call('PEXPIRE', KEYS[1], ARGV[3])
  end
  if held[4] then
    redis.call('PUBLISH', ARGV[4], ARGV[5])
  end
  return { 1 }
end
if ARGV[2] ~= '' and held[3] == ARGV[2] then
  return { 1 }
end
if held[1] then
  return { 3, tonumber(held[2]) }
end
return { 2 }
