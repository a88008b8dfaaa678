-- free_many: ends each of a batch of leases that is still held under its owner and fencing token.
-- needs: lib_core.lua lib_bits.lua lib_leases.lua
-- KEYS: the nine range keys (see lib_core.lua). ARGV[6] n, the number of leases; then n groups of five from ARGV[7]:
-- owner, fencing token, first offset, last offset, note to leave with the id for its next holder ('' keeps the
-- stored note).
-- Returns {freed, now}: the number of leases ended. A lease that is gone, of another owner, token or extent is
-- skipped (nothing changes for it); one that had expired is reclaimed and not counted; a lease named twice counts once.
-- Validation before the first write: every group is checked against the stored lease first, then the chosen leases
-- are dropped. As in free.lua, only a script that checked the configuration can have written a lease under an owner's
-- token, so the stored configuration is not read.
-- Complexity: O(n log n) plus the bits of the leases when there is no reuse delay.
local n = tonumber(ARGV[6])
local now = now_ms()
local chosen, seen = {}, {}
for i = 0, n - 1 do
  local at = 7 + i * 5
  local owner, token, first, last = ARGV[at], tonumber(ARGV[at + 1]), tonumber(ARGV[at + 2]), tonumber(ARGV[at + 3])
  if not seen[first] then
    local value = redis.call('HGET', K_LEASES, first)
    if value then
      local o, t, expiry, l = decode_lease(value)
      if o == owner and t == token and l == last then
        seen[first] = true
        chosen[#chosen + 1] = { first, last, expiry, ARGV[at + 4] }
      end
    end
  end
end
local freed, reclaimed = 0, 0
for _, lease in ipairs(chosen) do
  local first, last, expiry, note = lease[1], lease[2], lease[3], lease[4]
  drop_lease(first, last, expiry, now)
  swap_note(first, note)
  if is_live(expiry, now) then freed = freed + 1 else reclaimed = reclaimed + 1 end
end
if reclaimed > 0 then redis.call('HINCRBY', K_META, 'reclaimed', reclaimed) end
return { freed, now }
