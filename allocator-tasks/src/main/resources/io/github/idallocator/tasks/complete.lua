-- complete: finishes a running task with its result, when the caller's claim is still the task's current one and its
-- deadline has not passed: a worker that lost the task (it was claimed again, or its deadline passed) is refused, so a
-- task is completed once, by the holder of its current token. The result is kept for the retention of completed tasks;
-- the payload is deleted. Publishes the id. Idempotent: completing again with the token that completed the task
-- answers as the first time did (a retry whose first reply was lost), without changing anything.
-- needs: lib_tasks.lua
-- KEYS: the queue's keys (see lib_tasks.lua).
-- ARGV[1] task id, ARGV[2] fencing token of the claim, ARGV[3] result, then the six common arguments.
-- Returns {1} when completed (now or before, with this token); {0, why} when refused: 'unknown', 'finished', 'stale' or
--   'expired'.
-- Complexity: O(log n): TIME, HGET, HSET x2, HDEL x2, ZREM, ZADD, HINCRBY, PUBLISH, PEXPIREAT per key written (every
--   key about once per tenth of the idle expiry).
local now = now_ms()
local done, why = complete_task(ARGV[1], ARGV[2], ARGV[3], now)
if not done then return { 0, why } end
touch(now)
return { 1 }
