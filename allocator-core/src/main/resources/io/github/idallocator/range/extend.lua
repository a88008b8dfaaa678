-- extend: renews the lease that starts at the given offset so it expires ttl after the server's current time. During
-- the recovery period (the state was recreated after Redis lost it) a lease that is missing is re-registered instead:
-- when the caller names its token, extent and former expiry, that expiry is still ahead of the server's time, and all
-- its ids are free, it is stored again under the same owner and token (no other grant can have taken its ids, since
-- new grants wait out the recovery period).
-- needs: lib_core.lua lib_bits.lua lib_leases.lua
-- KEYS: the nine range keys (see lib_core.lua). ARGV[6] owner, ARGV[7] fencing token (-1: any token of that owner),
-- ARGV[8] first offset, ARGV[9] ttl ms (-1: never expires), ARGV[10] note to store with the id ('' keeps it),
-- ARGV[11] last offset and ARGV[12] former expiry ms of the caller's lease (-1 when unknown: no re-registration).
-- Returns {1, now, expiry, token, last, re-registered (0/1)}; {0, now} no live lease starts there (an expired one is
-- reclaimed), or {0, now, first, owner, token, expiry, last} when the offset lies inside the live lease of those
-- values, which starts before it; {-1, now, owner, token, last} held by another owner or under another token (nothing
-- changes).
-- Complexity: O(log n), plus O((last - first) / 8) bytes checked when re-registering.
local fail = check_state()
if fail then return fail end
local owner, token, first, ttl, note = ARGV[6], tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9]), ARGV[10]
local known_last, former_expiry = tonumber(ARGV[11]), tonumber(ARGV[12])
local now = now_ms()
local value = redis.call('HGET', K_LEASES, first)
if not value then
  if token == -1 or known_last < first or former_expiry <= now or recovery_left(now) == 0
      or first_bit(K_BITMAP, 1, first, known_last) ~= -1 then
    local at, o, t, expiry, last = lease_holding(first)
    if at and is_live(expiry, now) then return { 0, now, at, o, t, expiry, last } end
    return { 0, now }
  end
  if token > tonumber(redis.call('HGET', K_META, 'token') or '0') then
    redis.call('HSET', K_META, 'token', string.format('%d', token))
  end
  local _, expiry = claim(first, known_last, owner, ttl, now, token)
  swap_note(first, note)
  redis.call('HINCRBY', K_META, 'reregistered', 1)
  return { 1, now, expiry, token, known_last, 1 }
end
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
return { 1, now, new_expiry, t, last, 0 }
