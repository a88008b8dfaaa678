-- free_many: ends each of a batch of leases that is still held under its owner and fencing token.
-- needs: lib_core.lua lib_bits.lua lib_leases.lua
-- KEYS: the nine range keys (see lib_core.lua). ARGV[6] n, the number of leases; then n groups of five from ARGV[7]:
-- owner, fencing token, first offset, last offset, note to leave with the id for its next holder ('' keeps the
-- stored note).
-- Returns {freed, now}: the number of leases ended. A lease that is gone, of another owner, token or extent is
-- skipped (nothing changes for it); one that had expired is reclaimed and not counted; a lease named twice counts once.
-- Validation before the first write: every group is checked against the stored lease first (one HMGET), then the
-- chosen leases are dropped with one call per command (drop_leases). As in free.lua, only a script that checked the
-- configuration can have written a lease under an owner's token, so the stored configuration is not read.
-- Complexity: O(n log n); one HMGET, HDEL and ZREM (and ZADD with a reuse delay) per 2,000 leases, plus one SETBIT
-- per id without a reuse delay.
local n = tonumber(ARGV[6])
local now = now_ms()
local fields = {}
for i = 0, n - 1 do fields[i + 1] = ARGV[9 + i * 5] end
local values = hmget_chunked(K_LEASES, fields)
local chosen, notes, seen = {}, {}, {}
for i = 0, n - 1 do
  local value = values[i + 1]
  if value then
    local at = 7 + i * 5
    -- compared as the decimal strings both sides write (no leading zeros), so only the chosen leases are converted
    local o, token, expiry, last = string.match(value, LEASE_PATTERN)
    if o == ARGV[at] and token == ARGV[at + 1] and last == ARGV[at + 3] and not seen[ARGV[at + 2]] then
      seen[ARGV[at + 2]] = true
      chosen[#chosen + 1] = { tonumber(ARGV[at + 2]), tonumber(last), tonumber(expiry) }
      notes[#chosen] = ARGV[at + 4]
    end
  end
end
drop_leases(chosen, now)
local freed = 0
for i, lease in ipairs(chosen) do
  swap_note(lease[1], notes[i])
  if is_live(lease[3], now) then freed = freed + 1 end
end
if #chosen > freed then redis.call('HINCRBY', K_META, 'reclaimed', #chosen - freed) end
return { freed, now }
