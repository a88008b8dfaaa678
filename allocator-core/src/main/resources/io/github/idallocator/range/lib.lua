-- Shared prelude of every range-allocator script. The Java side prepends this file to each operation's file, so each
-- script stays atomic and self-contained (one EVALSHA) without repeating these helpers.
--
-- KEYS (the same nine, in this order, for every range script; one hash tag, so one cluster slot):
--   1 meta       hash    min, max, layout, token (fencing counter), allocated, resting, reclaimed
--   2 bitmap     string  bit i = 1 when offset i is leased or resting
--   3 full       string  bit b = 1 only when block b (4096 offsets) has no clear bit; 0 means "may have one"
--   4 leases     hash    first offset -> "owner|token|expiryMs|last offset" (expiryMs -1: never expires)
--   5 deadlines  zset    first offset scored by expiryMs (leases that expire)
--   6 ranges     zset    first offset scored by first offset (leases of more than one id)
--   7 resting    zset    "first-last" scored by the server time at which the ids become free again
--   8 creator    string  instance id of the creator, with a PX expiry
--   9 notes      hash    first offset -> note left with the id by its last holder (outlives the lease)
-- ARGV (common head): 1 min id, 2 max id (decimal strings, the configured range), 3 size (max - min + 1),
--   4 reuse delay in ms. Operation arguments start at ARGV[5].
-- Ids are handled as offsets from min (0 .. size - 1) so Lua numbers stay exact.

local K_META, K_BITMAP, K_FULL, K_LEASES = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local K_DEADLINES, K_RANGES, K_RESTING, K_CREATOR, K_NOTES = KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9]
local SIZE = tonumber(ARGV[3])
local REUSE_DELAY = tonumber(ARGV[4])
local LAYOUT = 'v1'
local BLOCK_BITS = 4096
local NBLOCKS = math.ceil(SIZE / BLOCK_BITS)
local SETRANGE_CHUNK = 1048576
local EXPECTED_TYPES = { 'hash', 'string', 'string', 'hash', 'zset', 'zset', 'zset', 'string', 'hash' }

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Counters of the meta hash, read once by check_state and kept in step by add_allocated / add_resting.
local allocated_ids, resting_ids = 0, 0

-- An error reply when one of the nine keys holds data of another type (data we did not write), else nil.
local function check_types()
  for i = 1, 9 do
    local t = redis.call('TYPE', KEYS[i])['ok']
    if t ~= 'none' and t ~= EXPECTED_TYPES[i] then
      return redis.error_reply('IDALLOC_WRONGTYPE ' .. KEYS[i] .. ' ' .. t .. ' ' .. EXPECTED_TYPES[i])
    end
  end
  return nil
end

-- Validates before the first write: an error reply when the allocator stored in Redis was created with another range
-- or layout, or (when it is created here) when any of its keys holds data of another type; nil when the script may
-- go on. Once created, a key of another type makes Redis refuse our command (WRONGTYPE) instead of overwriting it.
local function check_state()
  local stored = redis.call('HMGET', K_META, 'min', 'max', 'layout', 'allocated', 'resting')
  if not stored[1] then
    local bad = check_types()
    if bad then return bad end
    redis.call('HSET', K_META, 'min', ARGV[1], 'max', ARGV[2], 'layout', LAYOUT)
    allocated_ids, resting_ids = 0, 0
    return nil
  end
  if stored[1] ~= ARGV[1] or stored[2] ~= ARGV[2] or stored[3] ~= LAYOUT then
    return redis.error_reply('IDALLOC_MISMATCH ' .. stored[1] .. ' ' .. tostring(stored[2]) .. ' ' .. tostring(stored[3]))
  end
  allocated_ids, resting_ids = tonumber(stored[4] or '0'), tonumber(stored[5] or '0')
  return nil
end

local function add_allocated(n)
  allocated_ids = redis.call('HINCRBY', K_META, 'allocated', n)
end

local function add_resting(n)
  resting_ids = redis.call('HINCRBY', K_META, 'resting', n)
end

local function available()
  return SIZE - allocated_ids - resting_ids
end

-- First offset in [from, to] whose bit is 0, or -1. Bits past the end of the string count as 0. STRLEN is asked only
-- when BITPOS finds nothing inside the string (BITPOS answers 0 for a missing key, whatever the range).
local function first_zero(key, from, to)
  local i = from
  while i <= to and i % 8 ~= 0 do
    if redis.call('GETBIT', key, i) == 0 then return i end
    i = i + 1
  end
  if i > to then return -1 end
  local start_byte, end_byte = i / 8, math.floor(to / 8)
  local pos = redis.call('BITPOS', key, 0, start_byte, end_byte)
  if pos >= i then
    if pos > to then return -1 end
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

-- First offset in [from, to] whose bit is 1, or -1.
local function first_one(key, from, to)
  local i = from
  while i <= to and i % 8 ~= 0 do
    if redis.call('GETBIT', key, i) == 1 then return i end
    i = i + 1
  end
  if i > to then return -1 end
  local start_byte, end_byte = i / 8, math.floor(to / 8)
  local pos = redis.call('BITPOS', key, 1, start_byte, end_byte)
  if pos == -1 or pos > to then return -1 end
  return pos
end

-- Sets bits [from, to] to v: single bits at the ragged edges, SETRANGE (in bounded chunks) for whole bytes. Only bits
-- that are set are ever cleared in the bitmap (ids that were leased), so clearing never extends it.
local function set_bits(key, from, to, v)
  local first_byte, last_byte = math.floor(from / 8), math.floor(to / 8)
  if first_byte == last_byte or to - from < 16 then
    for i = from, to do redis.call('SETBIT', key, i, v) end
    return
  end
  for i = from, first_byte * 8 + 7 do redis.call('SETBIT', key, i, v) end
  for i = last_byte * 8, to do redis.call('SETBIT', key, i, v) end
  local fill = (v == 1) and '\255' or '\0'
  local b = first_byte + 1
  while b < last_byte do
    local n = math.min(SETRANGE_CHUNK, last_byte - b)
    redis.call('SETRANGE', key, b, string.rep(fill, n))
    b = b + n
  end
end

-- Makes [first, last] free at once: clears their bits and the "full" mark of their blocks.
local function clear_ids(first, last)
  set_bits(K_BITMAP, first, last, 0)
  set_bits(K_FULL, math.floor(first / BLOCK_BITS), math.floor(last / BLOCK_BITS), 0)
end

local function encode_lease(owner, token, expiry, last)
  return owner .. '|' .. token .. '|' .. expiry .. '|' .. last
end

-- owner, token, expiry (ms, -1 = never), last offset
local function decode_lease(value)
  local owner, token, expiry, last = string.match(value, '^(.*)|(%d+)|(-?%d+)|(%d+)$')
  return owner, tonumber(token), tonumber(expiry), tonumber(last)
end

-- Ids that left a lease: they rest for the reuse delay, or become free at once without one.
local function retire_ids(first, last, now)
  local n = last - first + 1
  add_allocated(-n)
  if REUSE_DELAY > 0 then
    redis.call('ZADD', K_RESTING, now + REUSE_DELAY, first .. '-' .. last)
    add_resting(n)
  else
    clear_ids(first, last)
  end
end

-- Removes the lease starting at first (its value already decoded) and retires its ids.
local function drop_lease(first, last, expiry, now)
  redis.call('HDEL', K_LEASES, first)
  if expiry ~= -1 then redis.call('ZREM', K_DEADLINES, first) end
  if last > first then redis.call('ZREM', K_RANGES, first) end
  retire_ids(first, last, now)
end

-- Reclaims at most limit leases whose deadline has passed and frees at most limit resting ranges whose rest is over.
-- Returns the number of leases reclaimed. Cost: O(limit * log n) plus the bits touched.
local function reclaim(now, limit)
  local expired = redis.call('ZRANGEBYSCORE', K_DEADLINES, '-inf', now, 'LIMIT', 0, limit)
  for _, f in ipairs(expired) do
    local first = tonumber(f)
    local value = redis.call('HGET', K_LEASES, f)
    if value then
      local _, _, expiry, last = decode_lease(value)
      drop_lease(first, last, expiry, now)
    else
      redis.call('ZREM', K_DEADLINES, f)
    end
  end
  if #expired > 0 then redis.call('HINCRBY', K_META, 'reclaimed', #expired) end
  local rested = redis.call('ZRANGEBYSCORE', K_RESTING, '-inf', now, 'LIMIT', 0, limit)
  for _, m in ipairs(rested) do
    local first, last = string.match(m, '^(%d+)-(%d+)$')
    first, last = tonumber(first), tonumber(last)
    redis.call('ZREM', K_RESTING, m)
    add_resting(-(last - first + 1))
    clear_ids(first, last)
  end
  return #expired
end

-- Reclaims every expired lease and every finished rest, in batches. Cost proportional to what it reclaims.
local function reclaim_all(now)
  local total = 0
  repeat
    local n = reclaim(now, 1000)
    total = total + n
  until n < 1000 and redis.call('ZCOUNT', K_RESTING, '-inf', now) == 0
  return total
end

-- Marks as full the blocks that [first, last] covers entirely (the last block counts up to the range's end), so a
-- large range lease never leaves the next allocation to find them full one by one.
local function mark_full_blocks(first, last)
  local first_block = math.ceil(first / BLOCK_BITS)
  local last_block = math.floor((last + 1) / BLOCK_BITS) - 1
  if last == SIZE - 1 then last_block = NBLOCKS - 1 end
  if first_block <= last_block then set_bits(K_FULL, first_block, last_block, 1) end
end

-- Leases [first, last] to owner; ttl in ms or -1 for no expiry. Returns token, expiry.
local function claim(first, last, owner, ttl, now)
  set_bits(K_BITMAP, first, last, 1)
  if last - first + 1 >= BLOCK_BITS then mark_full_blocks(first, last) end
  local token = redis.call('HINCRBY', K_META, 'token', 1)
  local expiry = -1
  if ttl >= 0 then
    expiry = now + ttl
    redis.call('ZADD', K_DEADLINES, expiry, first)
  end
  if last > first then redis.call('ZADD', K_RANGES, first, first) end
  redis.call('HSET', K_LEASES, first, encode_lease(owner, token, expiry, last))
  add_allocated(last - first + 1)
  return token, expiry
end

-- First free offset, found block by block through the "full" summary, or -1. Blocks found full are marked so.
local function find_free(from_block)
  local b = from_block
  while b < NBLOCKS do
    b = first_zero(K_FULL, b, NBLOCKS - 1)
    if b == -1 then return -1 end
    local s = b * BLOCK_BITS
    local p = first_zero(K_BITMAP, s, math.min(s + BLOCK_BITS - 1, SIZE - 1))
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
    local b = first_zero(K_FULL, math.floor(pos / BLOCK_BITS), NBLOCKS - 1)
    if b == -1 then return -1 end
    if b * BLOCK_BITS > pos then pos = b * BLOCK_BITS end
    local z = first_zero(K_BITMAP, pos, SIZE - 1)
    if z == -1 or z + count > SIZE then return -1 end
    local o = first_one(K_BITMAP, z, z + count - 1)
    if o == -1 then return z end
    pos = o + 1
  end
  return -1
end

-- The lease that holds offset, as first, owner, token, expiry, last; nil when none does.
local function lease_holding(offset)
  local value = redis.call('HGET', K_LEASES, offset)
  local first = offset
  if not value then
    local r = redis.call('ZREVRANGEBYSCORE', K_RANGES, offset, '-inf', 'LIMIT', 0, 1)
    if #r == 0 then return nil end
    first = tonumber(r[1])
    value = redis.call('HGET', K_LEASES, r[1])
    if not value then return nil end
  end
  local owner, token, expiry, last = decode_lease(value)
  if last < offset then return nil end
  return first, owner, token, expiry, last
end

-- Stores note with the id at offset and returns the note stored before ('' when none); '' stores and reads nothing.
local function swap_note(offset, note)
  if note == '' then return '' end
  local previous = redis.call('HGET', K_NOTES, offset) or ''
  redis.call('HSET', K_NOTES, offset, note)
  return previous
end

local function is_live(expiry, now)
  return expiry == -1 or expiry > now
end
