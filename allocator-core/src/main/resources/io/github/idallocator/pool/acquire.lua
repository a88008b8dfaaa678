-- acquire: grants the caller a lease on a resource that can take a holder: the one bound to its binding name when it
-- can, else the first of the free set (lowest priority, then least loaded, then least recently released). Waiters are
-- served in ticket order (highest waiter priority, then arrival): a caller gets a resource only when fewer callers wait
-- before it than resources can take a holder. A waiting caller that is refused keeps (or takes) a ticket that lives
-- ARGV[7] ms; one that is granted gives its ticket up and, when others wait and resources can still take a holder,
-- wakes them. When no resource can take a holder, expired leases and ended quarantines are collected first (at most
-- ARGV[8] of each).
-- needs: lib_pool.lua
-- KEYS: the pool's keys (see lib_pool.lua).
-- ARGV[1] owner id (unique per acquisition), ARGV[2] lease time in ms, ARGV[3] binding name ('' for none), ARGV[4]
-- binding lifetime in ms, ARGV[5] '1' when the caller waits if refused, ARGV[6] waiter priority (0 to 1000), ARGV[7]
-- ticket lifetime in ms, ARGV[8] collection limit, ARGV[9] the release channel, ARGV[10] the pool's name (the message),
-- ARGV[11] maxHolders.
-- Returns {1, token, resource, expiresMs, 1 when the bound resource was granted else 0, nowMs} when granted; {0, ms
--   until the earliest lease deadline or -1, resources that can take a holder, waiters before the caller} when refused.
-- Complexity: O(log n) (n: resources, leases or waiters): without waiters or binding TIME, ZCARD, ZRANGE, HGET, HSET,
--   ZREM or ZADD, HSET, ZADD x2; plus O(k log n) for k expired leases, ended quarantines or dead tickets collected.
local cap = max_holders()
local now, now_us = now_ms()
local owner = ARGV[1]
local limit = tonumber(ARGV[8])
local waits = ARGV[5] == '1'
local waiting = redis.call('ZCARD', WAITERS)
if waiting > 0 then
  waiting = waiting - collect_tickets(now, limit)
end
local first = redis.call('ZRANGE', FREE, 0, 0)
if #first == 0 then
  collect_expired(now, limit, cap)
  collect_quarantines(now, limit, cap)
  first = redis.call('ZRANGE', FREE, 0, 0)
end
local ticket_score, ahead = nil, 0
if waiting > 0 then
  ticket_score = redis.call('ZSCORE', WAITERS, owner)
  if ticket_score then
    ahead = redis.call('ZRANK', WAITERS, owner)
  elseif waits then
    local seq = tonumber(redis.call('HGET', META, 'wseq') or '0') + 1
    ticket_score = (1000 - tonumber(ARGV[6])) * 1000000000000 + seq
    ahead = redis.call('ZCOUNT', WAITERS, '-inf', '(' .. fmt(ticket_score))
  else
    ahead = waiting
  end
elseif waits then
  ticket_score = (1000 - tonumber(ARGV[6])) * 1000000000000 + tonumber(redis.call('HGET', META, 'wseq') or '0') + 1
end
local avail = 0
if #first > 0 then
  avail = 1
  if ahead > 0 then avail = redis.call('ZCARD', FREE) end
end
if ahead >= avail then
  if waits then
    if not redis.call('ZSCORE', WAITERS, owner) then
      redis.call('HINCRBY', META, 'wseq', 1)
      redis.call('ZADD', WAITERS, ticket_score, owner)
    end
    redis.call('ZADD', WDEAD, now + tonumber(ARGV[7]), owner)
  end
  local next_deadline = redis.call('ZRANGE', DEADLINES, 0, 0, 'WITHSCORES')
  local hint = -1
  if next_deadline[2] then hint = math.max(0, tonumber(next_deadline[2]) - now) end
  return { 0, hint, avail, ahead }
end
local r, rec, hit = nil, nil, 0
local binding = ARGV[3]
if binding ~= '' then
  local bound = redis.call('HGET', BINDS, binding)
  local bound_exp = redis.call('ZSCORE', BINDEXP, binding)
  if bound and bound_exp and tonumber(bound_exp) >= now then
    local bound_rec = load(bound)
    if can_take(bound_rec, cap) then
      r, rec, hit = bound, bound_rec, 1
    end
  end
end
if not r then
  r = string.sub(first[1], 15)
  rec = load(r)
end
local taken = copy(rec)
taken.holders = rec.holders + 1
taken.token = rec.token + 1
if now_us > taken.token then taken.token = now_us end
store(r, taken)
sync_free(r, rec, taken, cap)
local exp = now + tonumber(ARGV[2])
redis.call('HSET', LEASES, owner, fmt(taken.token) .. '|' .. fmt(exp) .. '|' .. r)
redis.call('ZADD', DEADLINES, exp, owner)
redis.call('ZADD', HOLDERS, 0, r .. '|' .. owner)
if waiting > 0 and redis.call('ZREM', WAITERS, owner) > 0 then
  redis.call('ZREM', WDEAD, owner)
  if redis.call('ZCARD', FREE) > 0 then
    wake_waiters(ARGV[9], ARGV[10])
  end
end
if binding ~= '' then
  redis.call('HSET', BINDS, binding, r)
  redis.call('ZADD', BINDEXP, now + tonumber(ARGV[4]), binding)
end
return { 1, taken.token, r, exp, hit, now }
