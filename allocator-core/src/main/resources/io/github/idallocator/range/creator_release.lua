-- creator_release: gives up the creator lease, only when the caller holds it.
-- needs: lib_core.lua
-- KEYS: the nine range keys (see lib_core.lua). ARGV[6] owner.
-- Returns 1 released, 0 the caller was not the creator.
-- Complexity: O(1).
if redis.call('TYPE', K_CREATOR)['ok'] ~= 'string' then return 0 end
if redis.call('GET', K_CREATOR) == ARGV[6] then
  redis.call('DEL', K_CREATOR)
  return 1
end
return 0
