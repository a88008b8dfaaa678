-- binding: reads a soft binding; read-only.
-- needs: lib_pool.lua
-- KEYS: the pool's keys (see lib_pool.lua); the last ARGV is maxHolders (see there).
-- ARGV[1] binding name.
-- Returns {resource, expiresMs}, or {} when there is none, it expired, or its resource was removed.
-- Complexity: O(1): HGET, ZSCORE, HEXISTS, TIME.
local r = redis.call('HGET', BINDS, ARGV[1])
local exp = redis.call('ZSCORE', BINDEXP, ARGV[1])
if not r or not exp or tonumber(exp) < now_ms() or redis.call('HEXISTS', RES, r) == 0 then
  return {}
end
return { r, tonumber(exp) }
