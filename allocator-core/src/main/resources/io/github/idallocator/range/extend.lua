-- extend: renews the lease that starts at the given offset so it expires ttl after the server's current time.
-- needs: lib_core.lua lib_bits.lua lib_leases.lua
-- KEYS: the nine range keys (see lib_core.lua). ARGV[5] owner, ARGV[6] fencing token (-1: any token of that owner),
-- ARGV[7] first offset, ARGV[8] ttl ms (-1: never expires), ARGV[9] note to store with the id ('' keeps it).
-- Returns {1, now, expiry, token, last}; {0, now} no live lease starts there (an expired one is reclaimed);
-- {-1, now, owner, token, last} held by another owner or under another token (nothing changes).
-- Complexity: O(log n).
local fail = check_state()
if fail then return fail end
local owner, token, first, ttl, note = ARGV[5], tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8]), ARGV[9]
local now = now_ms()
local value = redis.call('HGET', K_LEASES, first)
if not value then return { 0, now } end
local o, t, expiry, last = decode_lease(value)
if o ~= owner or (token ~= -1 and t ~= token) then return { -1, now, o, t, last } end
if not is_live(expiry, now) then
  drop_lease(first, last, expiry, now)
  redis.call('HINCRBY', K_META, 'reclaimed', 1)
  return { 0, now }
end
local new_expiry = -1
if ttl >= 0 then
  new_expiry = now + ttl
  redis.call('ZADD', K_DEADLINES, new_expiry, first)
elseif expiry ~= -1 then
  redis.call('ZREM', K_DEADLINES, first)
end
redis.call('HSET', K_LEASES, first, encode_lease(o, t, new_expiry, last))
swap_note(first, note)
return { 1, now, new_expiry, t, last }
