-- unbind: removes a soft binding.
-- needs: lib_pool.lua
-- KEYS: the pool's keys (see lib_pool.lua); the last ARGV is maxHolders (see there).
-- ARGV[1] binding name.
-- Returns {1} when a binding was removed, {0} when there was none.
-- Complexity: O(log n): HDEL, ZREM.
local removed = redis.call('HDEL', BINDS, ARGV[1])
redis.call('ZREM', BINDEXP, ARGV[1])
return { removed }
