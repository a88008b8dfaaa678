-- maintain: the creator instance's periodic collection: expired leases (holders that crashed or paused), ended
-- quarantines, dead waiters' tickets, expired bindings and revocations older than a day, at most ARGV[1] of each; then
-- lists up to ARGV[2] quarantined resources (soonest end first) for the health check.
-- needs: lib_pool.lua
-- KEYS: the pool's keys (see lib_pool.lua); the last ARGV is maxHolders (see there).
-- ARGV[1] collection limit, ARGV[2] how many quarantined resources to list, ARGV[3] the release channel, ARGV[4] the
-- pool's name (the message).
-- Returns {expired leases, ended quarantines, tickets, bindings, revocations collected, resource, metadata, resource,
--   metadata, ...}.
-- Complexity: O(k log n) for the k items collected (never the pool's size), plus O(q) for q listed.
local cap = max_holders()
local now = now_ms()
local limit = tonumber(ARGV[1])
local leases = collect_expired(now, limit, cap)
local quarantines = collect_quarantines(now, limit, cap)
local tickets = collect_tickets(now, limit)
local dead = redis.call('ZRANGEBYSCORE', BINDEXP, '-inf', '(' .. fmt(now), 'LIMIT', 0, limit)
for _, name in ipairs(dead) do
  redis.call('HDEL', BINDS, name)
  redis.call('ZREM', BINDEXP, name)
end
local old = redis.call('ZRANGEBYSCORE', REVOKED, '-inf', '(' .. fmt(now - REVOKED_KEEP_MS), 'LIMIT', 0, limit)
for _, owner in ipairs(old) do
  redis.call('ZREM', REVOKED, owner)
end
if leases + quarantines > 0 then
  wake_waiters(ARGV[3], ARGV[4])
end
local reply = { leases, quarantines, tickets, #dead, #old }
local q = tonumber(ARGV[2])
if q > 0 then
  for _, r in ipairs(redis.call('ZRANGE', QUAR, 0, q - 1)) do
    reply[#reply + 1] = r
    reply[#reply + 1] = redis.call('HGET', INFO, 'm|' .. r) or ''
  end
end
return reply
