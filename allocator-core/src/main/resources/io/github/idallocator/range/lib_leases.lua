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
