-- acquire: gives the lock to the caller when nobody holds it, with a new fencing token and a lease of ARGV[2] ms.
-- needs: lib_lock.lua
-- KEYS[1] the lock hash (see lib_lock.lua).
-- ARGV[1] owner id (unique per acquire call, so a retry of a call whose reply was lost finds its own grant),
-- ARGV[2] lease time in ms (1 or more), ARGV[3] '1' when the caller waits for the lock if it is held (the hash is then
-- marked, so that its release publishes a wake-up), anything else when it does not.
-- Returns {1, token} when the caller holds the lock: newly, or still (a retried call of the same owner renews the
--   lease and keeps the token); {0, ms left of the holder's lease} when another owner holds it.
-- Complexity: O(1): HMGET, then TIME, HSET, PEXPIRE (free) or PTTL and, for a waiting caller, HSET (busy).
local held = redis.call('HMGET', KEYS[1], 'owner', 'token')
if held[1] then
  if held[1] ~= ARGV[1] then
    if ARGV[3] == '1' then
      redis.call('HSET', KEYS[1], 'waiting', '1')
    end
    return { 0, redis.call('PTTL', KEYS[1]) }
  end
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return { 1, tonumber(held[2]) }
end
local token = next_token(held[2])
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'token', fmt(token))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return { 1, token }
