-- Lease helpers of the range allocator: claiming and dropping leases, the counters, reclaiming expired leases and
-- finished rests, finding the lease that holds an id, and notes.
-- needs: lib_core.lua lib_bits.lua

-- Ids leased (expired but not yet reclaimed leases included). check_state must have run.
local function leased_ids()
  return redis.call('HLEN', K_LEASES) + extra_ids
end

local function available()
  return SIZE - leased_ids() - resting_ids
end

local function add_extra(n)
  extra_ids = redis.call('HINCRBY', K_META, 'extra', n)
end

local function add_resting(n)
  resting_ids = redis.call('HINCRBY', K_META, 'resting', n)
end

-- Ids that left a lease: they rest for the reuse delay, or become free at once without one.
local function retire_ids(first, last, now)
  if REUSE_DELAY > 0 then
    redis.call('ZADD', K_RESTING, now + REUSE_DELAY, first .. '-' .. last)
    add_resting(last - first + 1)
  else
    clear_ids(first, last)
  end
end

-- Removes the lease starting at first (its value already decoded) and retires its ids.
local function drop_lease(first, last, expiry, now)
  redis.call('HDEL', K_LEASES, first)
  if expiry ~= -1 then redis.call('ZREM', K_DEADLINES, first) end
  if last > first then
    redis.call('ZREM', K_RANGES, first)
    add_extra(first - last)
  end
  retire_ids(first, last, now)
end

-- Batches: one call per command and chunk of arguments instead of one per lease. Lua's unpack has a bounded stack, so
-- a list is sent in chunks of at most CHUNK arguments (even, so field-value and score-member pairs stay whole).
local CHUNK = 2000

local function call_chunked(command, key, args)
  local i, n = 1, #args
  while i <= n do
    local j = math.min(n, i + CHUNK - 1)
    redis.call(command, key, unpack(args, i, j))
    i = j + 1
  end
end

-- HMGET of fields in chunks; the values in the order of fields (false for a missing field).
local function hmget_chunked(key, fields)
  local values, i, n = {}, 1, #fields
  while i <= n do
    local j = math.min(n, i + CHUNK - 1)
    local part = redis.call('HMGET', key, unpack(fields, i, j))
    for k = 1, #part do values[#values + 1] = part[k] end
    i = j + 1
  end
  return values
end

-- Leases each offset of offsets (whose bits the caller has set) as its own single-id lease with its own fencing token:
-- the tokens next_token would issue one by one, written with one HSET of the counter, one HSET of the leases and one
-- ZADD of the deadlines. Returns the tokens (in the order of offsets) and the expiry.
local function claim_singles(offsets, owner, ttl, now)
  local token = tonumber(redis.call('HGET', K_META, 'token') or '0')
  local floor = now_us
  if floor == 0 then floor = now * 1000 end
  local expiry = -1
  if ttl >= 0 then expiry = now + ttl end
  local tokens, leases, deadlines = {}, {}, {}
  for i, offset in ipairs(offsets) do
    token = token + 1
    if token < floor then token = floor end
    tokens[i] = token
    leases[#leases + 1] = offset
    leases[#leases + 1] = encode_lease(owner, token, expiry, offset)
  end
  if #offsets == 0 then return tokens, expiry end
  -- Highest offset first: the deadlines share one score, so a small sorted set (a listpack, ordered by member within a
  -- score) finds each member's place near its head rather than near its end (a ZADD of 100 ascending members of one
  -- score cost 3.4 times as much as descending ones on Redis 7.0).
  if expiry ~= -1 then
    for i = #offsets, 1, -1 do
      deadlines[#deadlines + 1] = expiry
      deadlines[#deadlines + 1] = offsets[i]
    end
  end
  redis.call('HSET', K_META, 'token', string.format('%d', token))
  call_chunked('HSET', K_LEASES, leases)
  call_chunked('ZADD', K_DEADLINES, deadlines)
  return tokens, expiry
end

-- drop_lease for each { first, last, expiry } of leases (values already decoded), with one call per command and, without
-- a reuse delay, one clear per run of adjacent leases.
local function drop_leases(leases, now)
  local firsts, deadlines, ranges, resting = {}, {}, {}, {}
  local extra, rest = 0, 0
  for _, lease in ipairs(leases) do
    local first, last, expiry = lease[1], lease[2], lease[3]
    firsts[#firsts + 1] = first
    if expiry ~= -1 then deadlines[#deadlines + 1] = first end
    if last > first then
      ranges[#ranges + 1] = first
      extra = extra + first - last
    end
    if REUSE_DELAY > 0 then
      resting[#resting + 1] = now + REUSE_DELAY
      resting[#resting + 1] = first .. '-' .. last
      rest = rest + last - first + 1
    end
  end
  if REUSE_DELAY == 0 then
    -- leases never overlap: sorted by first id, adjacent ones are cleared as one run (SETRANGE for whole bytes)
    local runs = {}
    for _, lease in ipairs(leases) do runs[#runs + 1] = { lease[1], lease[2] } end
    local sorted = true
    for i = 2, #runs do
      if runs[i][1] < runs[i - 1][1] then
        sorted = false
        break
      end
    end
    if not sorted then table.sort(runs, function(a, b) return a[1] < b[1] end) end
    local i = 1
    while i <= #runs do
      local from, to = runs[i][1], runs[i][2]
      while i < #runs and runs[i + 1][1] == to + 1 do
        i = i + 1
        to = runs[i][2]
      end
      clear_ids(from, to)
      i = i + 1
    end
  end
  call_chunked('HDEL', K_LEASES, firsts)
  call_chunked('ZREM', K_DEADLINES, deadlines)
  call_chunked('ZREM', K_RANGES, ranges)
  if extra ~= 0 then add_extra(extra) end
  call_chunked('ZADD', K_RESTING, resting)
  if rest > 0 then add_resting(rest) end
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

-- Leases [first, last] to owner; ttl in ms or -1 for no expiry; token nil for a new fencing token, else the token of
-- a lease re-registered after Redis lost it. Returns token, expiry.
local function claim(first, last, owner, ttl, now, token)
  set_bits(K_BITMAP, first, last, 1)
  if last - first + 1 >= BLOCK_BITS then mark_full_blocks(first, last) end
  if not token then token = next_token(now) end
  local expiry = -1
  if ttl >= 0 then
    expiry = now + ttl
    redis.call('ZADD', K_DEADLINES, expiry, first)
  end
  if last > first then
    redis.call('ZADD', K_RANGES, first, first)
    add_extra(last - first)
  end
  redis.call('HSET', K_LEASES, first, encode_lease(owner, token, expiry, last))
  return token, expiry
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
