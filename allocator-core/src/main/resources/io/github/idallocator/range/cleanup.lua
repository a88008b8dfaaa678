-- cleanup: the creator's periodic reclaim of expired leases and finished rests.
-- needs: lib_core.lua lib_bits.lua lib_leases.lua
-- KEYS: the nine range keys (see lib_core.lua). ARGV[6] owner (must hold the creator key), ARGV[7] batch limit.
-- Returns {1, now, leases reclaimed, more remain (0/1)}, or {0, now, creator or ''} when the caller is not the creator.
-- Complexity: O(limit * log n) plus the bits freed.
local fail = check_state() or check_types()
if fail then return fail end
local now = now_ms()
local creator = redis.call('GET', K_CREATOR)
if creator ~= ARGV[6] then return { 0, now, creator or '' } end
local limit = tonumber(ARGV[7])
local n = reclaim(now, limit)
local more = 0
if redis.call('ZCOUNT', K_DEADLINES, '-inf', now) + redis.call('ZCOUNT', K_RESTING, '-inf', now) > 0 then more = 1 end
return { 1, now, n, more }
