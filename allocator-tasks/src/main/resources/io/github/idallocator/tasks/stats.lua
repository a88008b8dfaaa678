-- stats: the queue's counts, counters and the age of its oldest claimable task. Read-only.
-- needs: lib_tasks.lua
-- KEYS: the queue's keys (see lib_tasks.lua).
-- ARGV: the six common arguments only.
-- Returns {nowMs, waiting, delayed (including tasks whose time came), running, dead, finished (completed and dead,
--   kept for their retention), live workers, since when the longest waiting task is claimable (ms) or -1, then the
--   counters submitted, completed, failed, retried, dead, expired, requeued, collected}.
-- Complexity: O(log n + w) for w waiting tasks scanned for the oldest, at most 100: ZCARD x5, ZCOUNT, ZRANGE, HGET,
--   HMGET.
local now = now_ms()
local oldest = -1
local heads = redis.call('ZRANGE', READY, 0, 99)
for _, id in ipairs(heads) do
  local t = load(id)
  if t and (oldest < 0 or t.time < oldest) then oldest = t.time end
end
local due = redis.call('ZRANGEBYSCORE', DUE, '-inf', now, 'LIMIT', 0, 100)
for _, id in ipairs(due) do
  local t = load(id)
  if t and (oldest < 0 or t.time < oldest) then oldest = t.time end
end
local reply = { now, redis.call('ZCARD', READY), redis.call('ZCARD', DUE), redis.call('ZCARD', RUNNING),
  redis.call('ZCARD', DEAD), redis.call('ZCARD', EXPIRY), redis.call('ZCOUNT', WORKERS, '(' .. fmt(now), '+inf'),
  oldest }
local counters = redis.call('HMGET', META, 'submitted', 'completed', 'failed', 'retried', 'dead', 'expired', 'requeued',
  'collected')
for _, c in ipairs(counters) do
  reply[#reply + 1] = tonumber(c or '0')
end
return reply
