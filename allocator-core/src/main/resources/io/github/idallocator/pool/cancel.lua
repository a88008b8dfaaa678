-- cancel: gives up a waiter's ticket (its wait ended without a grant); when resources can take a holder, the waiters
-- behind it are woken.
-- needs: lib_pool.lua
-- KEYS: the pool's keys (see lib_pool.lua); the last ARGV is maxHolders (see there).
-- ARGV[1] ticket (the waiter's owner id), ARGV[2] the release channel, ARGV[3] the pool's name (the message).
-- Returns {1} when a ticket was given up, {0} when there was none.
-- Complexity: O(log n): ZREM x2, ZCARD, PUBLISH when callers wait.
local removed = redis.call('ZREM', WAITERS, ARGV[1])
redis.call('ZREM', WDEAD, ARGV[1])
if removed > 0 and redis.call('ZCARD', FREE) > 0 then
  wake_waiters(ARGV[2], ARGV[3])
end
return { removed }
