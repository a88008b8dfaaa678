-- acquire: grants the caller a lease on a resource that can take a holder: the one bound to its binding name when it
-- can, else the first of the free set (lowest priority, then least loaded, then least recently released). Waiters are
-- served in ticket order (highest waiter priority, then arrival): a caller gets a resource only when fewer callers wait
-- before it than resources can take a holder. A waiting caller that is refused keeps (or takes) a ticket that lives
-- ARGV[7] ms; one that is granted gives its ticket up. When no resource can take a holder, expired leases and ended
-- quarantines are collected first (at most ARGV[8] of each).
-- needs: lib_pool.lua
-- KEYS: the pool's keys (see lib_pool.lua).
-- ARGV[1] owner id (unique per acquire call, so a retry of a call whose reply was lost finds its own grant),
-- ARGV[2] lease time in ms, ARGV[3] binding name ('' for none), ARGV[4] binding lifetime in ms, ARGV[5] '1' when the
-- caller waits if refused, ARGV[6] waiter priority (0 to 1000), ARGV[7] ticket lifetime in ms, ARGV[8] collection limit,
-- ARGV[9] the release channel, ARGV[10] the pool's name (the message): a waiter granted while others wait and resources
-- can still take a holder wakes them, so that the next in line need not wait for its next poll.
-- Returns {1, token, resource, expiresMs, 1 when the bound resource was granted else 0, nowMs} when granted (also to
--   a retried call whose first call was granted); {0, ms until the earliest lease deadline or -1, resources that can
--   take a holder, waiters before the caller} when refused.
-- Complexity: O(log n) (n: resources, leases or waiters), plus O(k log n) for k expired leases, ended quarantines or
--   dead tickets collected.
local cap = max_holders()
local now, now_us = now_ms()
local owner = ARGV[1]
local held_token, held_exp, held_r = lease_of(owner)
if held_token then
  return { 1, held_token, held_r, held_exp, 0, now }
end
local limit = tonumber(ARGV[8])
if redis.call('ZCARD', WAITERS) > 0 then
  collect_tickets(now, limit)
end
local avail = redis.call('ZCARD', FREE)
if avail == 0 then
  collect_expired(now, limit, cap)
  collect_quarantines(now, limit, cap)
  avail = redis.call('ZCARD', FREE)
end
local waits = ARGV[5] == '1'
local ahead
local ticket_score = redis.call('ZSCORE', WAITERS, owner)
if ticket_score then
  ahead = redis.call('ZRANK', WAITERS, owner)
elseif waits then
  local seq = tonumber(redis.call('HGET', META, 'wseq') or '0') + 1
  ticket_score = (1000 - tonumber(ARGV[6])) * 1000000000000 + seq
  ahead = redis.call('ZCOUNT', WAITERS, '-inf', '(' .. fmt(ticket_score))
else
  ahead = redis.call('ZCARD', WAITERS)
end
if ahead >= avail then
  if waits then
    if not redis.call('ZSCORE', WAITERS, owner) then
      redis.call('HINCRBY', META, 'wseq', 1)
      redis.call('ZADD', WAITERS, ticket_score, owner)
    end
    redis.call('ZADD', WDEAD, now + tonumber(ARGV[7]), owner)
  end
  local first = redis.call('ZRANGE', DEADLINES, 0, 0, 'WITHSCORES')
  local hint = -1
  if first[2] then hint = math.max(0, tonumber(first[2]) - now) end
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
  r = string.sub(redis.call('ZRANGE', FREE, 0, 0)[1], 15)
  rec = load(r)
end
local token = tonumber(redis.call('HGET', META, 'token') or '0') + 1
if now_us > token then token = now_us end
redis.call('HSET', META, 'token', fmt(token))
local taken = { state = rec.state, prio = rec.prio, holders = rec.holders + 1, last = rec.last, quntil = rec.quntil }
store(r, taken)
sync_free(r, rec, taken, cap)
local exp = now + tonumber(ARGV[2])
redis.call('HSET', LEASES, owner, fmt(token) .. '|' .. fmt(exp) .. '|' .. r)
redis.call('ZADD', DEADLINES, exp, owner)
redis.call('ZADD', HOLDERS, 0, r .. '|' .. owner)
redis.call('HINCRBY', META, 'acquired', 1)
if ticket_score and redis.call('ZREM', WAITERS, owner) > 0 then
  redis.call('ZREM', WDEAD, owner)
  if redis.call('ZCARD', FREE) > 0 then
    wake_waiters(ARGV[9], ARGV[10])
  end
end
if binding ~= '' then
  redis.call('HSET', BINDS, binding, r)
  redis.call('ZADD', BINDEXP, now + tonumber(ARGV[4]), binding)
end
return { 1, token, r, exp, hit, now }
