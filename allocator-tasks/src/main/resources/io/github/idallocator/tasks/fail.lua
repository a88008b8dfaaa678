-- fail: ends a failed attempt of a running task, when the caller's claim is still the task's current one: the task is
-- retried after ARGV[5] ms (Redis server time), or moves to the dead tasks when ARGV[4] says never or it made its last
-- attempt. The error is kept as the task's last error. Publishes the id when the task died.
-- needs: lib_tasks.lua
-- KEYS: the queue's keys (see lib_tasks.lua).
-- ARGV[1] task id, ARGV[2] fencing token of the claim, ARGV[3] error, ARGV[4] '1' to retry, '0' never, ARGV[5] retry
-- delay in ms, then the six common arguments.
-- Returns {1, 'D' (retried after the delay), 'W' (retried now) or 'X' (dead)}; {0, why} when refused: 'unknown',
--   'finished', 'stale' or 'expired'.
-- Complexity: O(log n): TIME, HGET, HSET x2, ZREM, ZADD x1-2, HINCRBY x1-2, PEXPIREAT per key written (every key about
--   once per tenth of the idle expiry), PUBLISH.
local id = ARGV[1]
local now = now_ms()
local t, why = claimed(id, ARGV[2], now)
if not t then return { 0, why } end
redis.call('ZREM', RUNNING, id)
write('HSET', ERRORS, id, ARGV[3])
write('HINCRBY', META, 'failed', 1)
if ARGV[4] ~= '1' or t.attempt >= MAX_ATTEMPTS then
  make_dead(id, t, now)
  touch(now)
  return { 1, 'X' }
end
write('HINCRBY', META, 'retried', 1)
local delay = tonumber(ARGV[5])
if delay > 0 then
  t.state, t.time, t.owner = 'D', now + delay, ''
  save(id, t)
  schedule(DUE, t.time, id)
else
  make_ready(id, t, now)
  redis.call('PUBLISH', CHANNEL, '+')
end
touch(now)
return { 1, t.state }
