-- creator_heartbeat: renews the creator lease when the caller holds it, takes it when nobody does, and (first call of
-- needs: lib_core.lua
-- an instance) creates or checks the stored configuration.
-- KEYS: the nine range keys (see lib_core.lua). ARGV[6] owner, ARGV[7] creator ttl ms.
-- Returns {1, now, owner, ttl, born} renewed, {2, now, owner, ttl, born} taken, or {0, now, holder, holder's remaining
-- ms, born}; born is when the allocator's state was created (recreated after Redis lost it), server time in ms.
-- Complexity: O(1).
local fail = check_state() or check_types()
if fail then return fail end
local owner, ttl = ARGV[6], tonumber(ARGV[7])
local now = now_ms()
local holder = redis.call('GET', K_CREATOR)
if holder == owner then
  redis.call('PEXPIRE', K_CREATOR, ttl)
  return { 1, now, owner, ttl, born }
end
if not holder then
  redis.call('SET', K_CREATOR, owner, 'PX', ttl)
  return { 2, now, owner, ttl, born }
end
return { 0, now, holder, redis.call('PTTL', K_CREATOR), born }
