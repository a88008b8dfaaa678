-- complete: finishes a running task with its result, when the caller's claim is still the task's current one and its
-- deadline has not passed: a worker that lost the task (it was claimed again, or its deadline passed) is refused, so a
-- task is completed once, by the holder of its current token. The result is kept for the retention of completed tasks;
-- the payload is deleted. Publishes the id. Idempotent: completing again with the token that completed the task
-- answers as the first time did (a retry whose first reply was lost), without changing anything.
-- needs: lib_tasks.lua
-- KEYS: the queue's keys (see lib_tasks.lua).
-- ARGV[1] task id, ARGV[2] fencing token of the claim, ARGV[3] result, then the six common arguments.
-- Returns {1} when completed (now or before, with this token); {0, why} when refused: 'unknown', 'finished', 'stale' or 'expired'.
-- Complexity: O(log n): TIME, HGET, HSET x2, HDEL x2, ZREM, ZADD, HINCRBY, PEXPIRE per key, PUBLISH.
local id = ARGV[1]
local now = now_ms()
local t, why = claimed(id, ARGV[2], now)
if not t then
  local done = load(id)
  if done and done.state == 'C' and fmt(done.token) == ARGV[2] then return { 1 } end
  return { 0, why }
end
t.state, t.time, t.owner = 'C', now + RETENTION_MS, ''
save(id, t)
redis.call('ZREM', RUNNING, id)
redis.call('ZADD', EXPIRY, t.time, id)
redis.call('HSET', RESULTS, id, ARGV[3])
redis.call('HDEL', PAYLOADS, id)
redis.call('HDEL', ERRORS, id)
redis.call('HINCRBY', META, 'completed', 1)
touch()
redis.call('PUBLISH', CHANNEL, id)
return { 1 }
