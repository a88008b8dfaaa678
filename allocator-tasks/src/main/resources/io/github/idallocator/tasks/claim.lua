-- claim: leases up to ARGV[2] claimable tasks to the caller: the highest priority first, then first in. Each claimed
-- task gets a new fencing token, its attempt count goes up by one and it runs until its deadline, now plus the
-- visibility timeout (Redis server time); a task whose deadline passes without completion becomes claimable again
-- (dead after its last attempt). Delayed tasks whose time came, running tasks whose deadline passed and finished tasks
-- whose retention ended are moved first (at most LIMIT of each).
-- needs: lib_tasks.lua
-- KEYS: the queue's keys (see lib_tasks.lua).
-- ARGV[1] owner (the claiming worker's id), ARGV[2] how many tasks at most (1 to 1000), ARGV[3] visibility timeout in
-- ms, then the six common arguments.
-- Returns {nowMs, ms until the next delayed task is due or the next running task's deadline passes (-1: neither),
--   count, then per task: id, token, attempt, deadlineMs,
--   payload, ms it was claimable before this claim}.
-- Complexity: O((k + m) log n) for k tasks claimed and m tasks moved: ZRANGE, then per task ZREM, HGET, HSET, ZADD;
--   PEXPIREAT per key written (every key about once per tenth of the idle expiry).
local now, now_us = now_ms()
local reply = { now, -1 }
claim_tasks(reply, ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), now, now_us)
local next_due = redis.call('ZRANGE', DUE, 0, 0, 'WITHSCORES')
if next_due[2] then reply[2] = math.max(0, tonumber(next_due[2]) - now) end
local next_deadline = redis.call('ZRANGE', RUNNING, 0, 0, 'WITHSCORES')
if next_deadline[2] then
  local left = math.max(0, tonumber(next_deadline[2]) - now)
  if reply[2] < 0 or left < reply[2] then reply[2] = left end
end
touch(now)
return reply
