-- reserve: leases the given ids [first, last] (one id when first == last) if every one of them is free.
-- needs: lib_core.lua lib_bits.lua lib_leases.lua
-- KEYS: the nine range keys (see lib_core.lua). ARGV[6] owner, ARGV[7] ttl ms (-1: never expires), ARGV[8] first offset,
-- ARGV[9] last offset, ARGV[10] note to store with the first id ('' keeps the stored note).
-- Returns {1, now, expiry, token, previous note of the first id}, or {0, now} when any id of the range is leased
-- or resting, or {-2, now, ms left} during the recovery period (nothing is leased).
-- Complexity: O((last - first) / 8) bytes counted and written, plus expired leases reclaimed when some id is taken.
local fail = check_state()
if fail then return fail end
local owner, ttl, first, last, note = ARGV[6], tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9]), ARGV[10]
local now = now_ms()
local wait = recovery_left(now)
if wait > 0 then return { -2, now, wait } end
if first_bit(K_BITMAP, 1, first, last) ~= -1 then
  reclaim_all(now)
  if first_bit(K_BITMAP, 1, first, last) ~= -1 then return { 0, now } end
end
local token, expiry = claim(first, last, owner, ttl, now)
return { 1, now, expiry, token, swap_note(first, note) }
