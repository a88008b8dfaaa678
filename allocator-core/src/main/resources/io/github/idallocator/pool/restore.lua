-- restore: ends the quarantine of a resource, which can take holders again at once; waiters are woken.
-- needs: lib_pool.lua
-- KEYS: the pool's keys (see lib_pool.lua); the last ARGV is maxHolders (see there).
-- ARGV[1] resource, ARGV[2] the release channel, ARGV[3] the pool's name (the message).
-- Returns {1} when restored; {0} when it was not quarantined.
-- Complexity: O(log n): HGET, HSET, ZREM, HDEL, ZADD, PUBLISH when callers wait.
local cap = max_holders()
local r = ARGV[1]
local rec = load(r)
if not rec or rec.state ~= 'Q' then return { 0 } end
end_quarantine(r, rec, cap)
wake_waiters(ARGV[2], ARGV[3])
return { 1 }
