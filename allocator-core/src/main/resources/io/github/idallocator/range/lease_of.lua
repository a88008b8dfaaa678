-- lease_of: reads the live lease that holds an offset (read-only).
-- needs: lib_core.lua lib_bits.lua lib_leases.lua
-- KEYS: the nine range keys (see lib_core.lua). ARGV[6] offset.
-- Returns {1, now, first, owner, token, expiry, last}, or {0, now} when no live lease holds it.
-- Complexity: O(log n).
local now = now_ms()
local first, owner, token, expiry, last = lease_holding(tonumber(ARGV[6]))
if not first or not is_live(expiry, now) then return { 0, now } end
return { 1, now, first, owner, token, expiry, last }
