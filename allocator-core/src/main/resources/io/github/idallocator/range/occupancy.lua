-- occupancy: a picture of which parts of the range are taken, at most maxCells cells, at a bounded cost (read-only).
-- needs: lib_core.lua
-- KEYS: the nine range keys (see lib_core.lua). ARGV[6] maxCells (1 .. 65536, checked in Java).
-- Taken means the bit is set: leased (also expired but not yet reclaimed) or resting. A missing key or a bitmap shorter
-- than the range reads as zeros (nothing taken). Three precisions, the first that fits:
--   0 exact ids    SIZE <= maxCells: one cell per id; the payload is the bitmap's bytes 0 .. ceil(SIZE/8)-1 as one
--                  bulk string (one GETRANGE; shorter when the stored bitmap is), bit i (most significant first) = id i.
--   1 counted      the range has no block summary (NBLOCKS <= 64, at most 2^18 ids): a cell is `unit` whole bitmap
--                  bytes (8 * unit ids), unit = ceil(ceil(SIZE/8) / maxCells); the payload is the exact number of taken
--                  ids per cell (one BITCOUNT over byte ranges per cell; Redis 6.2 has byte ranges only), or, above
--                  COUNT_CELLS cells, the bitmap's first ceil(SIZE/8) bytes as one bulk string for the caller to count.
--   2 full blocks  otherwise: a cell is `unit` whole bytes of the `full` summary (8 * unit blocks of 4096 ids), unit =
--                  ceil(ceil(NBLOCKS/8) / maxCells); the payload is the ids of the cell's blocks marked full (one
--                  BITCOUNT per cell, times 4096; a full last block counts only its ids up to the end of the range), or,
--                  above COUNT_CELLS cells, the summary's first ceil(NBLOCKS/8) bytes as one bulk string for the caller
--                  to count the same way. A lower bound: a block is marked full lazily, a block with one free id counts 0.
-- Returns {now, precision, unit (0 for exact ids), resting members in all (ZCARD), n, resting member 1 .. n, payload}:
-- resting members are "first-last" offsets, the n <= 256 that become free soonest (ZRANGE 0 255); payload is the
-- bitmap string (exact ids), one integer per cell, or the string the cells are counted from (more than 256 cells). Fails with IDALLOC_MISMATCH when the stored range or layout is
-- not the configured one (as the writing scripts do); writes nothing.
-- Complexity: exact ids O(ceil(SIZE/8)) <= 8 KiB read; counted O(ceil(SIZE/8)) bytes read, at most 32 KiB (2^18
-- ids); full blocks O(NBLOCKS/8) bytes of summary read, at most 128 KiB (2^32 ids); in at most 256 BITCOUNTs or one
-- GETRANGE (one BITCOUNT per cell for thousands of cells took 2 us each, 150 ms for 65,536: docs/benchmarks.md);
-- plus O(log n + 256) for the resting intervals.
local stored = redis.call('HMGET', K_META, 'min', 'max', 'layout')
if stored[1] and (stored[1] ~= ARGV[1] or stored[2] ~= ARGV[2] or stored[3] ~= LAYOUT) then
  return redis.error_reply('IDALLOC_MISMATCH ' .. stored[1] .. ' ' .. tostring(stored[2]) .. ' ' .. tostring(stored[3]))
end
local max_cells = tonumber(ARGV[6])
local now = now_ms()
local out = { now, 0, 0, redis.call('ZCARD', K_RESTING) }
local resting = redis.call('ZRANGE', K_RESTING, 0, 255)
out[5] = #resting
for _, m in ipairs(resting) do out[#out + 1] = m end

-- Up to COUNT_CELLS cells, one BITCOUNT per cell over unit bytes of key's first nbytes bytes (each call costs about
-- a microsecond of server time); above, the nbytes bytes as one GETRANGE (at most 128 KiB: a memory copy), counted by
-- the caller. Returns whether it counted.
local COUNT_CELLS = 256
local function count_cells(key, nbytes, unit, scale)
  local cells = math.ceil(nbytes / unit)
  if cells > COUNT_CELLS then
    out[#out + 1] = redis.call('GETRANGE', key, 0, nbytes - 1)
    return false
  end
  for c = 0, cells - 1 do
    out[#out + 1] = redis.call('BITCOUNT', key, c * unit, math.min((c + 1) * unit, nbytes) - 1) * scale
  end
  return true
end

if SIZE <= max_cells then
  out[#out + 1] = redis.call('GETRANGE', K_BITMAP, 0, math.ceil(SIZE / 8) - 1)
elseif not SUMMARY then
  local nbytes = math.ceil(SIZE / 8)
  local unit = math.ceil(nbytes / max_cells)
  out[2], out[3] = 1, unit
  count_cells(K_BITMAP, nbytes, unit, 1)
else
  local nbytes = math.ceil(NBLOCKS / 8)
  local unit = math.ceil(nbytes / max_cells)
  out[2], out[3] = 2, unit
  if count_cells(K_FULL, nbytes, unit, BLOCK_BITS) then
    local short = NBLOCKS * BLOCK_BITS - SIZE
    if short > 0 and redis.call('GETBIT', K_FULL, NBLOCKS - 1) == 1 then out[#out] = out[#out] - short end
  end
end
return out
