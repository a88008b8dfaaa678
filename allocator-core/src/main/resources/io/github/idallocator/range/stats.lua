-- stats: reads the allocator's counters (read-only).
-- KEYS: the nine range keys (see lib.lua). No operation arguments.
-- Returns {now, allocated ids, resting ids, leases, leases expired but not yet reclaimed, leases reclaimed so far,
-- last fencing token, creator id or '', creator remaining ms or -2, stored min or '', stored max or '',
-- live leases expiring within the next 60 seconds}.
-- Complexity: O(log n).
local now = now_ms()
local m = redis.call('HMGET', K_META, 'allocated', 'resting', 'reclaimed', 'token', 'min', 'max')
local creator = redis.call('GET', K_CREATOR)
return {
  now,
  tonumber(m[1] or '0'),
  tonumber(m[2] or '0'),
  redis.call('HLEN', K_LEASES),
  redis.call('ZCOUNT', K_DEADLINES, '-inf', now),
  tonumber(m[3] or '0'),
  tonumber(m[4] or '0'),
  creator or '',
  redis.call('PTTL', K_CREATOR),
  m[5] or '',
  m[6] or '',
  redis.call('ZCOUNT', K_DEADLINES, '(' .. now, now + 60000)
}
