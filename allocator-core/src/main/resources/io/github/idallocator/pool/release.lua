-- release: ends the caller's lease when it is still the caller's (same owner and token, not expired): the resource
-- takes a holder again (a draining resource whose last holder left is deleted) and waiters are woken. With an unhealthy
-- report, counts a strike against the resource; ARGV[6] strikes within ARGV[7] ms quarantine it for ARGV[4] ms.
-- needs: lib_pool.lua
-- KEYS: the pool's keys (see lib_pool.lua); the last ARGV is maxHolders (see there).
-- ARGV[1] owner id, ARGV[2] fencing token (decimal; '' for whatever lease this owner holds: an acquire whose reply was
-- lost), ARGV[3] '1' for an unhealthy report, ARGV[4] quarantine in ms, ARGV[5] reason, ARGV[6] threshold, ARGV[7]
-- window in ms, ARGV[8] the release channel, ARGV[9] the pool's name (the message).
-- Returns {1, 1 when this release quarantined the resource else 0} RELEASED; {2} ALREADY_EXPIRED (the lease expired,
--   was released before, or Redis lost it; an expired lease found here is collected); {4} REVOKED.
-- Complexity: O(log n): TIME, HGET x2, HDEL, ZREM x2, HSET, ZADD (and ZREM when the resource's free-set entry moves),
-- ZCARD, PUBLISH when callers wait.
local cap = max_holders()
local now = now_ms()
local owner = ARGV[1]
local token, exp, r = lease_of(owner)
if not token or (ARGV[2] ~= '' and fmt(token) ~= ARGV[2]) then
  if redis.call('ZSCORE', REVOKED, owner) then return { 4 } end
  return { 2 }
end
if exp < now then
  end_lease(owner, r, now, false, cap)
  redis.call('HINCRBY', META, 'expired', 1)
  wake_waiters(ARGV[8], ARGV[9])
  return { 2 }
end
end_lease(owner, r, now, true, cap)
local quarantined = 0
if ARGV[3] == '1' then
  local rec = load(r)
  if rec and rec.state ~= 'D' then
    local count, start = 0, now
    local raw = redis.call('HGET', INFO, 's|' .. r)
    if raw then
      local c, s = string.match(raw, '^(%d+)|(%d+)$')
      if now - tonumber(s) <= tonumber(ARGV[7]) then
        count, start = tonumber(c), tonumber(s)
      end
    end
    count = count + 1
    if count >= tonumber(ARGV[6]) then
      redis.call('HDEL', INFO, 's|' .. r)
      if rec.state == 'A' then
        start_quarantine(r, rec, now + tonumber(ARGV[4]), ARGV[5], cap)
        redis.call('HINCRBY', META, 'autoq', 1)
        quarantined = 1
      end
    else
      redis.call('HSET', INFO, 's|' .. r, fmt(count) .. '|' .. fmt(start))
    end
  end
end
wake_waiters(ARGV[8], ARGV[9])
return { 1, quarantined }
