-- allocate_range: leases count contiguous ids as one lease (first-fit).
-- needs: lib_core.lua lib_bits.lua lib_leases.lua
-- KEYS: the nine range keys (see lib_core.lua). ARGV[6] owner, ARGV[7] ttl ms (-1: never expires), ARGV[8] count,
-- ARGV[9] note to store with the first id ('' keeps the stored note).
-- Returns {1, now, expiry, first offset, token, previous note of the first id}, or {0, now, available} when no
-- free run of count ids exists, or {-2, now, ms left} during the recovery period (nothing is leased).
-- Complexity: O(R * (B/8 + count/8)) bytes scanned, R = free runs shorter than count that are skipped (BITPOS hops,
-- never id by id), B = number of 4096-id blocks; plus the bits written.
local fail = check_state()
if fail then return fail end
local owner, ttl, count, note = ARGV[6], tonumber(ARGV[7]), tonumber(ARGV[8]), ARGV[9]
local now = now_ms()
local wait = recovery_left(now)
if wait > 0 then return { -2, now, wait } end
local first = -1
if available() >= count then first = find_run(count) end
if first == -1 and redis.call('ZCOUNT', K_DEADLINES, '-inf', now) + redis.call('ZCOUNT', K_RESTING, '-inf', now) > 0 then
  reclaim_all(now)
  if available() >= count then first = find_run(count) end
end
if first == -1 then return { 0, now, available() } end
local token, expiry = claim(first, first + count - 1, owner, ttl, now)
return { 1, now, expiry, first, token, swap_note(first, note) }
