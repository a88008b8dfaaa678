-- Shared head of the task queue scripts: the key layout, the task record and the moves between a task's states. The
-- Java side (TaskScripts, the one class that knows KEYS, ARGV and replies) composes it with each operation's file, so
-- each operation stays one atomic EVALSHA. Every script gets the same KEYS, all under the queue's hash tag
-- '<prefix>:{tasks:<name>}:', so one queue lives in one Redis Cluster slot.
--
-- KEYS[1]  meta     hash: seq (arrivals, orders the ready set), token (the last fencing token), expires (when
--                   every key expires, ms), next (ms: no delayed task is due, no running task's deadline passes and
--                   no finished task's retention ends before it; see sweep), counters submitted, completed, failed,
--                   retried, dead, expired, requeued, collected
-- KEYS[2]  tasks    hash: id -> 'state|attempt|token|priority|submittedMs|timeMs|progress|total|owner'; state W
--                   (waiting: claimable since timeMs), D (delayed until timeMs), R (running: claimed, deadline timeMs), C
--                   (completed, kept until timeMs), X (dead, kept until timeMs); progress and total are -1 until a
--                   worker reported progress; owner is the claimer's id ('' when not running)
-- KEYS[3]  payloads hash: id -> payload (deleted when the task completes)
-- KEYS[4]  results  hash: id -> result of the completed task
-- KEYS[5]  errors   hash: id -> error of the last failed attempt
-- KEYS[6]  ready    zset: waiting ids by (1000 - priority) * 10^12 + seq: ZRANGE 0 n is the highest priority, first in
-- KEYS[7]  due      zset: delayed ids by due time (ms, Redis server time)
-- KEYS[8]  running  zset: running ids by deadline (ms)
-- KEYS[9]  dead     zset: dead ids by the time they died (ms)
-- KEYS[10] expiry   zset: completed and dead ids by the time they are deleted (ms)
-- KEYS[11] workers  zset: live worker ids by the end of their presence (ms)
-- ARGV: each operation's own, then, as the last six of every script: the queue's idle expiry (ms; all keys expire
-- together, between the idle expiry and a tenth more after the last write, so no key outlives an abandoned queue: see
-- touch), retention of completed tasks (ms), retention of dead
-- tasks (ms), maxAttempts, the collection limit (how many items of each kind one script moves at most) and the channel
-- on which the queue publishes ('+' when a task became claimable, the id when a task finished).
-- Task ids and owner ids hold no '|' or whitespace (checked by the Java side), so every encoding above splits
-- unambiguously. Fencing tokens are max(the queue's last token + 1, Redis TIME in microseconds): they increase per
-- queue while its meta hash lives and, after Redis lost it, as long as the server clock does not step back.
-- Complexity of the helpers: O(log n) per task moved, n the size of the sorted set touched.

local META, TASKS, PAYLOADS, RESULTS, ERRORS = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local READY, DUE, RUNNING, DEAD, EXPIRY, WORKERS = KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10], KEYS[11]
local IDLE_EXPIRY_MS = tonumber(ARGV[#ARGV - 5])
local RETENTION_MS = tonumber(ARGV[#ARGV - 4])
local DEAD_RETENTION_MS = tonumber(ARGV[#ARGV - 3])
local MAX_ATTEMPTS = tonumber(ARGV[#ARGV - 2])
local LIMIT = tonumber(ARGV[#ARGV - 1])
local CHANNEL = ARGV[#ARGV]
local REFRESH_MS = math.floor(IDLE_EXPIRY_MS / 10)
local PRIORITY_BAND = 1000000000000

local FAR_MS = 4503599627370496 -- 2^52: 'next' when nothing is scheduled

-- The keys this script wrote to: a write may create a key, which then needs the queue's expiry (see touch).
local written = {}

-- Fields of meta this script read (once, on first use) and changes it will write (once, in touch).
local meta, meta_changes = nil, {}

-- Runs a command that may create 'key' (HSET, HINCRBY, ZADD) and remembers the key.
local function write(command, key, ...)
  written[key] = true
  return redis.call(command, key, ...)
end

local function fmt(n)
  return string.format('%d', n)
end

-- meta's token, expires and next, read on first use: { token = n, expires = n (0: meta did not exist), next = n }.
local function meta_fields()
  if not meta then
    local m = redis.call('HMGET', META, 'token', 'expires', 'next')
    meta = { token = tonumber(m[1] or '0'), expires = tonumber(m[2] or '0'), next = tonumber(m[3] or '0') }
  end
  return meta
end

-- Sets a field of meta, written in touch.
local function set_meta(field, value)
  meta_fields()[field] = value
  meta_changes[field] = value
end

-- Adds 'id' at 'time' (ms) to DUE, RUNNING or EXPIRY, lowering meta 'next' when 'time' comes before it.
local function schedule(key, time, id)
  write('ZADD', key, time, id)
  if time < meta_fields().next then set_meta('next', time) end
end

-- Redis server time: milliseconds and microseconds since 1970.
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000), tonumber(t[1]) * 1000000 + tonumber(t[2])
end

-- The record of a task, or nil.
local function load(id)
  local raw = redis.call('HGET', TASKS, id)
  if not raw then return nil end
  local s, a, tk, p, sub, tm, pr, tot, o = string.match(raw,
    '^(%a)|(%d+)|(%d+)|(%d+)|(%d+)|(%d+)|(-?%d+)|(-?%d+)|(.*)$')
  return { state = s, attempt = tonumber(a), token = tonumber(tk), priority = tonumber(p), submitted = tonumber(sub),
    time = tonumber(tm), progress = tonumber(pr), total = tonumber(tot), owner = o }
end

local function save(id, t)
  write('HSET', TASKS, id, t.state .. '|' .. fmt(t.attempt) .. '|' .. fmt(t.token) .. '|' .. fmt(t.priority)
    .. '|' .. fmt(t.submitted) .. '|' .. fmt(t.time) .. '|' .. fmt(t.progress) .. '|' .. fmt(t.total) .. '|' .. t.owner)
end

-- Ends every write: writes the meta fields set, and keeps all keys of the queue expiring at one moment, meta
-- 'expires', at least IDLE_EXPIRY_MS after 'now'. When less is left, the moment moves to IDLE_EXPIRY_MS + REFRESH_MS
-- after 'now' and is set on every key (a key that does not exist is left alone); otherwise only on the keys this
-- script wrote but meta, which existed. So a busy queue sets it on every key about once per REFRESH_MS.
local function touch(now)
  local existed = meta_fields().expires > 0
  local refresh = meta.expires - now < IDLE_EXPIRY_MS
  if refresh then set_meta('expires', now + IDLE_EXPIRY_MS + REFRESH_MS) end
  local fields = {}
  for field, value in pairs(meta_changes) do
    fields[#fields + 1] = field
    fields[#fields + 1] = fmt(value)
  end
  if #fields > 0 then write('HSET', META, unpack(fields)) end
  if refresh then
    for i = 1, #KEYS do
      redis.call('PEXPIREAT', KEYS[i], meta.expires)
    end
  else
    if existed then written[META] = nil end
    for key in pairs(written) do
      redis.call('PEXPIREAT', key, meta.expires)
    end
  end
end

-- Makes a task claimable, since 'since' (ms), behind the waiting tasks of its priority.
local function make_ready(id, t, since)
  local seq = write('HINCRBY', META, 'seq', 1)
  t.state, t.time, t.owner = 'W', since, ''
  save(id, t)
  write('ZADD', READY, (1000 - t.priority) * PRIORITY_BAND + seq, id)
end

-- Moves a task to the dead tasks, kept for the dead retention, and publishes its id (it finished).
local function make_dead(id, t, now)
  t.state, t.time, t.owner = 'X', now + DEAD_RETENTION_MS, ''
  save(id, t)
  write('ZADD', DEAD, now, id)
  schedule(EXPIRY, t.time, id)
  write('HINCRBY', META, 'dead', 1)
  redis.call('PUBLISH', CHANNEL, id)
end

-- Deletes completed and dead tasks whose retention ended (at most LIMIT).
local function collect_finished(now)
  local ids = redis.call('ZRANGEBYSCORE', EXPIRY, '-inf', now, 'LIMIT', 0, LIMIT)
  for _, id in ipairs(ids) do
    redis.call('ZREM', EXPIRY, id)
    redis.call('ZREM', DEAD, id)
    redis.call('HDEL', TASKS, id)
    redis.call('HDEL', PAYLOADS, id)
    redis.call('HDEL', RESULTS, id)
    redis.call('HDEL', ERRORS, id)
  end
  if #ids > 0 then write('HINCRBY', META, 'collected', #ids) end
end

-- Makes delayed tasks whose time came claimable (at most LIMIT).
local function promote_due(now)
  local ids = redis.call('ZRANGEBYSCORE', DUE, '-inf', now, 'LIMIT', 0, LIMIT)
  for _, id in ipairs(ids) do
    redis.call('ZREM', DUE, id)
    local t = load(id)
    if t then make_ready(id, t, t.time) end
  end
end

-- Takes back running tasks whose deadline passed (at most LIMIT): claimable again (then '+' is published), or dead
-- after their last attempt.
local function expire_running(now)
  local ids = redis.call('ZRANGEBYSCORE', RUNNING, '-inf', now, 'LIMIT', 0, LIMIT)
  local ready = 0
  for _, id in ipairs(ids) do
    redis.call('ZREM', RUNNING, id)
    local t = load(id)
    if t then
      write('HINCRBY', META, 'expired', 1)
      write('HSET', ERRORS, id, 'attempt ' .. fmt(t.attempt) .. ' was not completed within its visibility timeout '
        .. '(the worker died, paused or was cut off from Redis)')
      if t.attempt >= MAX_ATTEMPTS then
        make_dead(id, t, now)
      else
        make_ready(id, t, t.time)
        ready = ready + 1
      end
    end
  end
  if ready > 0 then redis.call('PUBLISH', CHANNEL, '+') end
end

-- Collects, promotes and expires what is due (at most LIMIT of each), when meta 'next' says something may be; then
-- moves 'next' to the earliest time left in DUE, RUNNING and EXPIRY. Between sweeps, schedule keeps 'next' at or
-- before every time added, so a sweep never misses what is due, and a queue with nothing due pays one HMGET.
local function sweep(now)
  if meta_fields().next > now then return end
  collect_finished(now)
  promote_due(now)
  expire_running(now)
  local earliest = FAR_MS
  for _, key in ipairs({ DUE, RUNNING, EXPIRY }) do
    local first = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
    if first[2] and tonumber(first[2]) < earliest then earliest = tonumber(first[2]) end
  end
  set_meta('next', earliest)
end

-- The running task 'id' as claimed with 'token', or nil and why not: 'unknown', 'finished' (completed or dead),
-- 'stale' (claimed again since, or not running) or 'expired' (its deadline passed).
local function claimed(id, token, now)
  local t = load(id)
  if not t then return nil, 'unknown' end
  if t.state == 'C' or t.state == 'X' then return nil, 'finished' end
  if t.state ~= 'R' or fmt(t.token) ~= token then return nil, 'stale' end
  if t.time <= now then return nil, 'expired' end
  return t, nil
end

-- Completes the running task 'id', claimed with 'token', with 'result' (kept for the retention; the payload is
-- deleted) and publishes its id. Returns true; or, when the claim is not the task's current one or its deadline
-- passed, false and why (see claimed). A task completed before with this token answers true and changes nothing.
local function complete_task(id, token, result, now)
  local t, why = claimed(id, token, now)
  if not t then
    local done = load(id)
    if done and done.state == 'C' and fmt(done.token) == token then return true, nil end
    return false, why
  end
  t.state, t.time, t.owner = 'C', now + RETENTION_MS, ''
  save(id, t)
  redis.call('ZREM', RUNNING, id)
  schedule(EXPIRY, t.time, id)
  write('HSET', RESULTS, id, result)
  redis.call('HDEL', PAYLOADS, id)
  redis.call('HDEL', ERRORS, id)
  write('HINCRBY', META, 'completed', 1)
  redis.call('PUBLISH', CHANNEL, id)
  return true, nil
end

-- Leases up to 'wanted' claimable tasks to 'owner' until now + 'visibility' (ms), the highest priority first, then
-- first in, after a sweep. Appends to 'reply' the count, then
-- per task: id, token, attempt, deadline (ms), payload, ms it was claimable before this claim. Returns the count.
local function claim_tasks(reply, owner, wanted, visibility, now, now_us)
  sweep(now)
  local ids = redis.call('ZRANGE', READY, 0, wanted - 1)
  local at = #reply + 1
  reply[at] = 0
  local last = meta_fields().token
  for _, id in ipairs(ids) do
    redis.call('ZREM', READY, id)
    local t = load(id)
    if t then
      local waited = math.max(0, now - t.time)
      local token = math.max(last + 1, now_us)
      last = token
      t.state, t.attempt, t.token, t.time, t.owner = 'R', t.attempt + 1, token, now + visibility, owner
      save(id, t)
      schedule(RUNNING, t.time, id)
      reply[#reply + 1] = id
      reply[#reply + 1] = token
      reply[#reply + 1] = t.attempt
      reply[#reply + 1] = t.time
      reply[#reply + 1] = redis.call('HGET', PAYLOADS, id) or ''
      reply[#reply + 1] = waited
      reply[at] = reply[at] + 1
    end
  end
  if reply[at] > 0 then set_meta('token', last) end
  return reply[at]
end
