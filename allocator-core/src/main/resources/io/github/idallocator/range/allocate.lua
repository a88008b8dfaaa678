-- allocate: leases count ids (not necessarily contiguous), each its own lease with its own fencing token.
-- needs: lib_core.lua lib_bits.lua lib_leases.lua
-- KEYS: the nine range keys (see lib_core.lua). ARGV[6] owner, ARGV[7] ttl ms (-1: never expires), ARGV[8] count,
-- ARGV[9] note to store with each id ('' keeps the stored note).
-- Returns {1, now, expiry, offset1, token1, previous note1, offset2, ...} (note '' when none), or
-- {0, now, available} when fewer than count ids are free after every expired lease and finished rest was reclaimed
-- (nothing is leased then), or {-2, now, ms left} during the recovery period (nothing is leased).
-- Errors: IDALLOC_MISMATCH and IDALLOC_WRONGTYPE before the first write (see lib_core.lua); IDALLOC_CORRUPT <free ids>
-- when the counters say ids are free but the bitmap has none (the ids leased before stay leased).
-- Expired leases and finished rests are reclaimed only when the free ids do not suffice (and by the creator's
-- cleanup). One id: the lowest free id is looked for first, and the counters are read only when there is none.
-- Several ids: one search per free run and its bits set at once, then the leases, deadlines and token counter written
-- once per batch.
-- Complexity: O(count * (B/8 + 512)) bytes scanned, B = number of 4096-id blocks (O(count * size/8) up to 64
-- blocks, where no summary is kept), plus reclaimed leases.
local fail = check_state()
if fail then return fail end
local owner, ttl, count, note = ARGV[6], tonumber(ARGV[7]), tonumber(ARGV[8]), ARGV[9]
local now = now_ms()
local wait = recovery_left(now)
if wait > 0 then return { -2, now, wait } end
local offset = -1
if count == 1 then
  offset = find_free(0)
  if offset == -1 then
    reclaim_all(now)
    offset = find_free(0)
    if offset == -1 then return { 0, now, available() } end
  end
elseif available() < count then
  reclaim_all(now)
  local free = available()
  if free < count then return { 0, now, free } end
end
if count == 1 then
  local token, expiry = claim(offset, offset, owner, ttl, now)
  return { 1, now, expiry, offset, token, swap_note(offset, note) }
end
-- Several ids: the lowest free ids, taken run by run (a free run ends at a taken id, at its block's end or when enough
-- ids are found) and each run's bits set at once, so the next search skips them; the leases, their deadlines and the
-- token counter are written once for the batch (claim_singles).
local offsets = {}
local block = 0
while #offsets < count do
  local from = find_free(block)
  if from == -1 then
    claim_singles(offsets, owner, ttl, now)
    return redis.error_reply('IDALLOC_CORRUPT ' .. available())
  end
  block = math.floor(from / BLOCK_BITS)
  local to = math.min(from + count - #offsets - 1, (block + 1) * BLOCK_BITS - 1, SIZE - 1)
  local taken = first_bit(K_BITMAP, 1, from, to)
  if taken ~= -1 then to = taken - 1 end
  set_bits(K_BITMAP, from, to, 1)
  for id = from, to do offsets[#offsets + 1] = id end
end
local tokens, expiry = claim_singles(offsets, owner, ttl, now)
local out = { 1, now, expiry }
for i, found in ipairs(offsets) do
  out[#out + 1] = found
  out[#out + 1] = tokens[i]
  out[#out + 1] = swap_note(found, note)
end
return out
