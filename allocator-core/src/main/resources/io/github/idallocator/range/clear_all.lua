-- clear_all: deletes every lease and all allocation state; the creator key stays. Only the creator may do this.
-- needs: lib_core.lua
-- KEYS: the nine range keys (see lib_core.lua). ARGV[6] owner (must hold the creator key).
-- Returns {1, now} cleared, or {0, now, creator or ''} when the caller is not the creator.
-- Complexity: O(n) in the keys' sizes (DEL).
local fail = check_state() or check_types()
if fail then return fail end
local now = now_ms()
local creator = redis.call('GET', K_CREATOR)
if creator ~= ARGV[6] then return { 0, now, creator or '' } end
redis.call('DEL', K_META, K_BITMAP, K_FULL, K_LEASES, K_DEADLINES, K_RANGES, K_RESTING, K_NOTES)
redis.call('HSET', K_META, 'min', ARGV[1], 'max', ARGV[2], 'layout', LAYOUT)
return { 1, now }
