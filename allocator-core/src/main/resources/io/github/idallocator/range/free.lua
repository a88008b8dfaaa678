-- free: ends the lease that starts at the given offset, when the caller owns it.
-- needs: lib_core.lua lib_bits.lua lib_leases.lua
-- KEYS: the nine range keys (see lib_core.lua). ARGV[6] owner ('' for an administrative force-free: no owner check),
-- ARGV[7] fencing token (-1: any token of that owner), ARGV[8] first offset, ARGV[9] expected last offset (-1: any),
-- ARGV[10] note to leave with the id for its next holder ('' keeps the stored note).
-- Returns {1, now} freed; {0, now} no lease starts there (or it had expired: it is reclaimed then);
-- {-1, now, owner, token, last} held by another owner, another token, or a lease of another extent (nothing changes).
-- Validation before the first write: a force-free checks the stored configuration (check_state); an owner's free
-- checks the lease itself (owner, token, extent). Only a script that had checked the configuration can have written
-- a lease under this instance's id, so the stored configuration is not read again.
-- Complexity: O(log n) plus the bits of the lease when there is no reuse delay.
local owner, token, first, expected_last, note = ARGV[6], tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9]), ARGV[10]
if owner == '' then
  local fail = check_state()
  if fail then return fail end
end
local now = now_ms()
local value = redis.call('HGET', K_LEASES, first)
if not value then return { 0, now } end
local o, t, expiry, last = decode_lease(value)
if owner ~= '' and (o ~= owner or (token ~= -1 and t ~= token) or (expected_last ~= -1 and last ~= expected_last)) then
  return { -1, now, o, t, last }
end
drop_lease(first, last, expiry, now)
swap_note(first, note)
if not is_live(expiry, now) then
  redis.call('HINCRBY', K_META, 'reclaimed', 1)
  return { 0, now }
end
return { 1, now }
