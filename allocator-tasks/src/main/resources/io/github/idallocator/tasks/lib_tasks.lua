-- Shared head of the task queue scripts: the key layout, the task record and the moves between a task's states. The
-- Java side (TaskScripts, the one class that knows KEYS, ARGV and replies) composes it with each operation's file, so
-- each operation stays one atomic EVALSHA. Every script gets the same KEYS, all under the queue's hash tag
-- '<prefix>:{tasks:<name>}:', so one queue lives in one Redis Cluster slot.
--
-- KEYS[1]  meta     hash: seq (arrivals, orders the ready set), token (the last fencing token), counters submitted,
--                   completed, failed, retried, dead, expired, requeued, collected
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
-- ARGV: each operation's own, then, as the last six of every script: the queue's idle expiry (ms; every write sets it
-- as the TTL of every key, so no key outlives an abandoned queue), retention of completed tasks (ms), retention of dead
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
local PRIORITY_BAND = 1000000000000

local function fmt(n)
  return string.format('%d', n)
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
  redis.call('HSET', TASKS, id, t.state .. '|' .. fmt(t.attempt) .. '|' .. fmt(t.token) .. '|' .. fmt(t.priority)
    .. '|' .. fmt(t.submitted) .. '|' .. fmt(t.time) .. '|' .. fmt(t.progress) .. '|' .. fmt(t.total) .. '|' .. t.owner)
end

-- Sets the queue's idle expiry on every key (a key that does not exist is left alone).
local function touch()
  for i = 1, #KEYS do
    redis.call('PEXPIRE', KEYS[i], IDLE_EXPIRY_MS)
  end
end

-- Makes a task claimable, since 'since' (ms), behind the waiting tasks of its priority.
local function make_ready(id, t, since)
  local seq = redis.call('HINCRBY', META, 'seq', 1)
  t.state, t.time, t.owner = 'W', since, ''
  save(id, t)
  redis.call('ZADD', READY, (1000 - t.priority) * PRIORITY_BAND + seq, id)
end

-- Moves a task to the dead tasks, kept for the dead retention, and publishes its id (it finished).
local function make_dead(id, t, now)
  t.state, t.time, t.owner = 'X', now + DEAD_RETENTION_MS, ''
  save(id, t)
  redis.call('ZADD', DEAD, now, id)
  redis.call('ZADD', EXPIRY, t.time, id)
  redis.call('HINCRBY', META, 'dead', 1)
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
  if #ids > 0 then redis.call('HINCRBY', META, 'collected', #ids) end
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
      redis.call('HINCRBY', META, 'expired', 1)
      redis.call('HSET', ERRORS, id, 'attempt ' .. fmt(t.attempt) .. ' was not completed within its visibility timeout '
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
