-- progress: records how far a running task got (current of total), when the caller's claim is still the task's current
-- one. The deadline does not move.
-- needs: lib_tasks.lua
-- KEYS: the queue's keys (see lib_tasks.lua).
-- ARGV[1] task id, ARGV[2] fencing token of the claim, ARGV[3] current (0 or more), ARGV[4] total (current or more),
-- then the six common arguments.
-- Returns {1} when recorded; {0, why} when not: 'unknown', 'finished', 'stale' or 'expired'.
-- Complexity: O(1): TIME, HGET, HSET, PEXPIREAT per key written (every key about once per tenth of the idle expiry).
local now = now_ms()
local t, why = claimed(ARGV[1], ARGV[2], now)
if not t then return { 0, why } end
t.progress, t.total = tonumber(ARGV[3]), tonumber(ARGV[4])
save(ARGV[1], t)
touch(now)
return { 1 }
