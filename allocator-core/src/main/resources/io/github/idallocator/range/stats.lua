-- stats: reads the allocator's counters (read-only).
-- needs: lib_core.lua
-- KEYS: the nine range keys (see lib_core.lua). No operation arguments.
-- Returns {now, allocated ids, resting ids, leases, leases expired but not yet reclaimed, leases reclaimed so far,
-- last fencing token, creator id or '', creator remaining ms or -2, stored min or '', stored max or '',
-- live leases expiring within the next 60 seconds, server ms when the state was created (0 when unknown),
-- leases re-registered after a loss}.
-- Complexity: O(log n).
local now = now_ms()
local m = redis.call('HMGET', K_META, 'extra', 'resting', 'reclaimed', 'token', 'min', 'max', 'born', 'reregistered')
local creator = redis.call('GET', K_CREATOR)
local leases = redis.call('HLEN', K_LEASES)
return {
  now,
  leases + tonumber(m[1] or '0'),
  tonumber(m[2] or '0'),
  leases,
  redis.call('ZCOUNT', K_DEADLINES, '-inf', now),
  tonumber(m[3] or '0'),
  tonumber(m[4] or '0'),
  creator or '',
  redis.call('PTTL', K_CREATOR),
  m[5] or '',
  m[6] or '',
  redis.call('ZCOUNT', K_DEADLINES, '(' .. now, now + 60000),
  tonumber(m[7] or '0'),
  tonumber(m[8] or '0')
}
