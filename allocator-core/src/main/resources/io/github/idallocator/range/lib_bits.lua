-- Bitmap helpers of the range allocator: finding free and taken offsets, setting runs of bits, and the "full" block
-- summary (kept only when SUMMARY).
-- needs: lib_core.lua

local SETRANGE_CHUNK = 1048576

-- First offset in [from, to] whose bit is bit (0 or 1), or -1: GETBIT up to the first whole byte, then one BITPOS.
-- Bits past the end of the string count as 0; for 0, STRLEN is asked only when BITPOS finds nothing inside the string
-- (BITPOS answers 0 for a missing key, whatever the range).
local function first_bit(key, bit, from, to)
  local i = from
  while i <= to and i % 8 ~= 0 do
    if redis.call('GETBIT', key, i) == bit then return i end
    i = i + 1
  end
  if i > to then return -1 end
  local start_byte, end_byte = i / 8, math.floor(to / 8)
  local pos = redis.call('BITPOS', key, bit, start_byte, end_byte)
  if bit == 1 or pos >= i then
    if pos == -1 or pos > to then return -1 end
    return pos
  end
  if pos ~= -1 then return i end
  local len = redis.call('STRLEN', key)
  if start_byte >= len then return i end
  if end_byte < len then return -1 end
  pos = len * 8
  if pos > to then return -1 end
  return pos
end

-- Sets bits lo..hi (0 = the most significant) of byte number byte to v, reading and writing that one byte.
local function set_byte_bits(key, byte, lo, hi, v)
  local mask = (2 ^ (hi - lo + 1) - 1) * 2 ^ (7 - hi)
  local old = redis.call('GETRANGE', key, byte, byte)
  local value = (old == '') and 0 or string.byte(old)
  if v == 1 then value = bit.bor(value, mask) else value = bit.band(value, 255 - mask) end
  redis.call('SETRANGE', key, byte, string.char(value))
end

-- Sets bits [from, to] to v: SETBIT for one bit, one read and one write for a partial byte at either edge, SETRANGE
-- (in bounded chunks) for whole bytes. Only bits that are set are ever cleared in the bitmap (ids that were leased),
-- so clearing never extends it.
local function set_bits(key, from, to, v)
  if from == to then
    redis.call('SETBIT', key, from, v)
    return
  end
  local first_byte, last_byte = math.floor(from / 8), math.floor(to / 8)
  if first_byte == last_byte then
    set_byte_bits(key, first_byte, from % 8, to % 8, v)
    return
  end
  local b, last_whole = first_byte, last_byte
  if from % 8 ~= 0 then
    set_byte_bits(key, first_byte, from % 8, 7, v)
    b = first_byte + 1
  end
  if to % 8 ~= 7 then
    set_byte_bits(key, last_byte, 0, to % 8, v)
    last_whole = last_byte - 1
  end
  local fill = (v == 1) and '\255' or '\0'
  while b <= last_whole do
    local n = math.min(SETRANGE_CHUNK, last_whole - b + 1)
    redis.call('SETRANGE', key, b, string.rep(fill, n))
    b = b + n
  end
end

-- Makes [first, last] free at once: clears their bits and the "full" mark of their blocks.
local function clear_ids(first, last)
  set_bits(K_BITMAP, first, last, 0)
  if SUMMARY then set_bits(K_FULL, math.floor(first / BLOCK_BITS), math.floor(last / BLOCK_BITS), 0) end
end

-- Marks as full the blocks that [first, last] covers entirely (the last block counts up to the range's end), so a
-- large range lease never leaves the next allocation to find them full one by one.
local function mark_full_blocks(first, last)
  if not SUMMARY then return end
  local first_block = math.ceil(first / BLOCK_BITS)
  local last_block = math.floor((last + 1) / BLOCK_BITS) - 1
  if last == SIZE - 1 then last_block = NBLOCKS - 1 end
  if first_block <= last_block then set_bits(K_FULL, first_block, last_block, 1) end
end

-- First free offset in block from_block or later, or -1. With the summary it goes block by block and marks the
-- blocks it finds full; without it, one BITPOS covers the rest of the (small) bitmap.
local function find_free(from_block)
  if not SUMMARY then return first_bit(K_BITMAP, 0, from_block * BLOCK_BITS, SIZE - 1) end
  local b = from_block
  while b < NBLOCKS do
    b = first_bit(K_FULL, 0, b, NBLOCKS - 1)
    if b == -1 then return -1 end
    local s = b * BLOCK_BITS
    local p = first_bit(K_BITMAP, 0, s, math.min(s + BLOCK_BITS - 1, SIZE - 1))
    if p ~= -1 then return p end
    redis.call('SETBIT', K_FULL, b, 1)
    b = b + 1
  end
  return -1
end

-- First offset of count consecutive free offsets, or -1: hops from free run to free run, never id by id.
local function find_run(count)
  local pos = 0
  while pos + count <= SIZE do
    if SUMMARY then
      local b = first_bit(K_FULL, 0, math.floor(pos / BLOCK_BITS), NBLOCKS - 1)
      if b == -1 then return -1 end
      if b * BLOCK_BITS > pos then pos = b * BLOCK_BITS end
    end
    local z = first_bit(K_BITMAP, 0, pos, SIZE - 1)
    if z == -1 or z + count > SIZE then return -1 end
    local o = first_bit(K_BITMAP, 1, z, z + count - 1)
    if o == -1 then return z end
    pos = o + 1
  end
  return -1
end
