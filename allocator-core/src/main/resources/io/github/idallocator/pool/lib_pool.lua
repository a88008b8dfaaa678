-- Shared head of the pool scripts: the key layout, the resource record, the free-set order and the lease table. The
-- Java side (PoolScripts, the one class that knows KEYS, ARGV and replies) composes it with each operation's file, so
-- each operation stays one atomic EVALSHA. Every script gets the same KEYS, all under the pool's hash tag
-- '<prefix>:{pool:<name>}:', so one pool lives in one Redis Cluster slot.
--
-- KEYS[1]  meta      hash: maxHolders (stored by the first instance), wseq (waiter arrivals), draining (resources
--                    draining), counters expired, revoked, autoq
-- KEYS[2]  res       hash: resource -> 'state|priority|holders|lastReleasedMs|quarantinedUntilMs|token'; state A
--                    (active), D (draining), Q (quarantined); token is the fencing token of its last lease
-- KEYS[3]  free      zset: the resources that can take a holder now (state A, holders below maxHolders); member
--                    '<lastReleasedMs, 13 digits>|<resource>', score priority * 100000 + holders, so ZRANGE 0 0 is the
--                    lowest priority, then the least loaded, then (equal scores sort by member) the least recently
--                    released
-- KEYS[4]  leases    hash: owner -> 'token|expiresMs|resource' (the owner id is unique per acquisition)
-- KEYS[5]  deadlines zset: owner by expiresMs (Redis server time)
-- KEYS[6]  holders   zset, all scores 0: '<resource>|<owner>' (ZRANGEBYLEX lists one resource's holders)
-- KEYS[7]  binds     hash: binding name -> resource
-- KEYS[8]  bindexp   zset: binding name by expiresMs
-- KEYS[9]  quar      zset: quarantined resource by quarantinedUntilMs
-- KEYS[10] waiters   zset: ticket (the waiter's owner id) by (1000 - waiter priority) * 10^12 + arrival
-- KEYS[11] wdead     zset: ticket by ticket deadline (ms)
-- KEYS[12] info      hash: 'm|<resource>' metadata, 'q|<resource>' quarantine reason, 's|<resource>' unhealthy strikes
--                    'count|windowStartMs'
-- KEYS[13] revoked   zset: owner of a lease revoked by a forced removal, by revocation time (kept one day)
-- KEYS[14] creator   string: the creator instance's id, with the creator TTL
-- ARGV: each operation's own, then, as the last one of every script, the pool's maxHolders as configured (the same as
-- stored: init.lua checks it when an instance attaches), which saves reading it.
-- Resource names hold no '|', whitespace or braces (checked by the Java side), so every encoding above splits
-- unambiguously. Fencing tokens are max(the resource's last token + 1, Redis TIME in microseconds), as for locks: they
-- increase per resource while its record lives and, after it was removed or Redis lost it, as long as the server clock
-- does not step back.
-- Complexity of the helpers: O(log n) each, n the size of the sorted set touched.

local META, RES, FREE, LEASES, DEADLINES, HOLDERS = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local BINDS, BINDEXP, QUAR, WAITERS, WDEAD, INFO, REVOKED = KEYS[7], KEYS[8], KEYS[9], KEYS[10], KEYS[11], KEYS[12],
  KEYS[13]
local PRIORITY_BAND = 100000
local REVOKED_KEEP_MS = 86400000

local function fmt(n)
  return string.format('%d', n)
end

-- Redis server time: milliseconds and microseconds since 1970.
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000), tonumber(t[1]) * 1000000 + tonumber(t[2])
end

local CAP = tonumber(ARGV[#ARGV])

local function max_holders()
  return CAP
end

-- The record of a resource, or nil.
local function load(r)
  local raw = redis.call('HGET', RES, r)
  if not raw then return nil end
  local s, p, h, last, q, t = string.match(raw, '^(%a)|(%d+)|(%d+)|(%d+)|(%d+)|(%d+)$')
  return { state = s, prio = tonumber(p), holders = tonumber(h), last = tonumber(last), quntil = tonumber(q),
    token = tonumber(t) }
end

local function store(r, rec)
  redis.call('HSET', RES, r,
    rec.state .. '|' .. fmt(rec.prio) .. '|' .. fmt(rec.holders) .. '|' .. fmt(rec.last) .. '|' .. fmt(rec.quntil)
      .. '|' .. fmt(rec.token))
end

-- A copy of a resource record, to change.
local function copy(rec)
  return { state = rec.state, prio = rec.prio, holders = rec.holders, last = rec.last, quntil = rec.quntil,
    token = rec.token }
end

local function free_member(r, rec)
  return string.format('%013d', rec.last) .. '|' .. r
end

local function can_take(rec, cap)
  return rec and rec.state == 'A' and rec.holders < cap
end

-- Keeps the free set true to a resource's record after it changed from old (nil: new) to rec (nil: removed).
local function sync_free(r, old, rec, cap)
  if can_take(old, cap) and not (can_take(rec, cap) and old.last == rec.last) then
    redis.call('ZREM', FREE, free_member(r, old))
  end
  if can_take(rec, cap) then
    redis.call('ZADD', FREE, rec.prio * PRIORITY_BAND + rec.holders, free_member(r, rec))
  end
end

-- Deletes a resource that has no holders left (drained or force-removed), with its metadata, reason and strikes.
local function delete_resource(r, old, cap)
  sync_free(r, old, nil, cap)
  redis.call('HDEL', RES, r)
  redis.call('ZREM', QUAR, r)
  redis.call('HDEL', INFO, 'm|' .. r, 'q|' .. r, 's|' .. r)
  if old.state == 'D' then
    redis.call('HINCRBY', META, 'draining', -1)
  end
end

-- The lease of owner: token, expiresMs, resource; or nil.
local function lease_of(owner)
  local raw = redis.call('HGET', LEASES, owner)
  if not raw then return nil end
  local token, exp, r = string.match(raw, '^(%d+)|(%d+)|(.+)$')
  return tonumber(token), tonumber(exp), r
end

-- Ends the lease of owner on resource r: the resource takes one holder less (released at now when released is true),
-- and a draining resource whose last holder left is deleted.
local function end_lease(owner, r, now, released, cap)
  redis.call('HDEL', LEASES, owner)
  redis.call('ZREM', DEADLINES, owner)
  redis.call('ZREM', HOLDERS, r .. '|' .. owner)
  local old = load(r)
  if not old then return end
  local rec = copy(old)
  rec.holders = math.max(0, old.holders - 1)
  if released then rec.last = now end
  if rec.state == 'D' and rec.holders == 0 then
    delete_resource(r, old, cap)
    return
  end
  store(r, rec)
  sync_free(r, old, rec, cap)
end

-- Collects up to limit leases whose expiry passed; returns how many.
local function collect_expired(now, limit, cap)
  local due = redis.call('ZRANGEBYSCORE', DEADLINES, '-inf', '(' .. fmt(now), 'LIMIT', 0, limit)
  for _, owner in ipairs(due) do
    local _, _, r = lease_of(owner)
    if r then
      end_lease(owner, r, now, false, cap)
    else
      redis.call('ZREM', DEADLINES, owner)
    end
  end
  if #due > 0 then redis.call('HINCRBY', META, 'expired', #due) end
  return #due
end

-- Ends the quarantine of r (record rec, state Q).
local function end_quarantine(r, rec, cap)
  local restored = copy(rec)
  restored.state, restored.quntil = 'A', 0
  store(r, restored)
  redis.call('ZREM', QUAR, r)
  redis.call('HDEL', INFO, 'q|' .. r, 's|' .. r)
  sync_free(r, rec, restored, cap)
end

-- Ends up to limit quarantines whose end passed; returns how many.
local function collect_quarantines(now, limit, cap)
  local due = redis.call('ZRANGEBYSCORE', QUAR, '-inf', fmt(now), 'LIMIT', 0, limit)
  for _, r in ipairs(due) do
    local rec = load(r)
    if rec and rec.state == 'Q' then
      end_quarantine(r, rec, cap)
    else
      redis.call('ZREM', QUAR, r)
    end
  end
  return #due
end

-- Removes up to limit waiter tickets whose deadline passed (waiters that died); returns how many.
local function collect_tickets(now, limit)
  local due = redis.call('ZRANGEBYSCORE', WDEAD, '-inf', '(' .. fmt(now), 'LIMIT', 0, limit)
  for _, ticket in ipairs(due) do
    redis.call('ZREM', WAITERS, ticket)
    redis.call('ZREM', WDEAD, ticket)
  end
  return #due
end

-- Quarantines r (record rec) until untilMs with reason.
local function start_quarantine(r, rec, until_ms, reason, cap)
  local q = copy(rec)
  q.state, q.quntil = 'Q', until_ms
  store(r, q)
  redis.call('ZADD', QUAR, until_ms, r)
  redis.call('HSET', INFO, 'q|' .. r, reason)
  sync_free(r, rec, q, cap)
end

-- Publishes a wake-up for waiters when there are any.
local function wake_waiters(channel, pool)
  if redis.call('ZCARD', WAITERS) > 0 then
    redis.call('PUBLISH', channel, pool)
  end
end
