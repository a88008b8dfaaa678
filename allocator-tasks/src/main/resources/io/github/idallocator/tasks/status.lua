-- status: reads one task: its record, result and last error. Read-only.
-- needs: lib_tasks.lua
-- KEYS: the queue's keys (see lib_tasks.lua).
-- ARGV[1] task id, then the six common arguments.
-- Returns {nowMs} when the queue has no such task (never submitted, or deleted after its retention); else {nowMs,
--   record, result or false, last error or false}. A running task whose deadline passed and a delayed task whose time
--   came are reported as stored (the next claim moves them).
-- Complexity: O(1): TIME, HGET x3.
local now = now_ms()
local raw = redis.call('HGET', TASKS, ARGV[1])
if not raw then return { now } end
return { now, raw, redis.call('HGET', RESULTS, ARGV[1]) or false, redis.call('HGET', ERRORS, ARGV[1]) or false }
