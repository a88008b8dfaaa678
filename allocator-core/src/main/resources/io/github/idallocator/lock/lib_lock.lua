-- Shared head of the lock scripts (acquire.lua, renew.lua, release.lua): the lock hash, the fencing token rule and the
-- number format. The Java side (LockScripts, the one class that knows KEYS, ARGV and replies) prepends it to each
-- operation's file, so each operation stays one atomic EVALSHA.
--
-- KEYS[1] the lock hash '<prefix>:{<namespace>:<lock name>}:lock' (one key per lock, so locks spread over the cluster
--         slots). Fields:
--           owner     the holder's owner id (unique per acquire call); absent while nobody holds the lock
--           token     the fencing token of the last holder (kept after release: the tombstone)
--           released  the token of the last lease its owner released (so that a retried release learns its outcome)
--           waiting   '1' when a caller that waits was refused while the lock was held: its release then publishes
--         TTL: while held, the holder's lease (PEXPIRE, Redis server time); after a release, the token retention. The
--         hash never lives without a TTL.
-- Fencing tokens are Redis server time in microseconds, or the stored token + 1 when that is larger, so they increase
-- while the tombstone lives and, after it expired or Redis lost it, as long as the server clock does not step back.
-- Microseconds since 1970 stay below 2^53, so Lua numbers hold them exactly until the year 2255.
-- Errors: a lock key that holds another type makes HMGET fail with WRONGTYPE before anything is written.

-- The fencing token of a new holder: above the stored one and at least the server time in microseconds.
local function next_token(stored)
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
  local after = tonumber(stored or '0') + 1
  if after > now then return after end
  return now
end

-- An integer as a decimal string (tostring would write large numbers in exponent form).
local function fmt(n)
  return string.format('%d', n)
end
