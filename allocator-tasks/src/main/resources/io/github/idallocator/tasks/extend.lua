-- extend: moves the deadline of a running task to now plus ARGV[3] ms (Redis server time), when the caller's claim is
-- still the task's current one.
-- needs: lib_tasks.lua
-- KEYS: the queue's keys (see lib_tasks.lua).
-- ARGV[1] task id, ARGV[2] fencing token of the claim, ARGV[3] visibility timeout in ms, then the six common arguments.
-- Returns {1, deadlineMs} when extended; {0, why} when not: 'unknown', 'finished', 'stale' or 'expired'.
-- Complexity: O(log n): TIME, HGET, HSET, ZADD, PEXPIREAT per key written (every key about once per tenth of the idle
--   expiry).
local now = now_ms()
local t, why = claimed(ARGV[1], ARGV[2], now)
if not t then return { 0, why } end
t.time = now + tonumber(ARGV[3])
save(ARGV[1], t)
schedule(RUNNING, t.time, ARGV[1])
touch(now)
return { 1, t.time }
