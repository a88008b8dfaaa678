-- submit: adds a task, claimable now or after a delay (Redis server time). Idempotent by id: when the queue still has a
-- task of that id (waiting, running or within its retention), nothing changes and the reply names its state.
-- needs: lib_tasks.lua
-- KEYS: the queue's keys (see lib_tasks.lua).
-- ARGV[1] task id, ARGV[2] payload, ARGV[3] priority (0 to 1000, higher first), ARGV[4] delay in ms (0: claimable now),
-- then the six common arguments.
-- Returns {1, 'W' or 'D'} when the task was added; {0, state of the existing task} when the id was taken.
-- Complexity: O(log n): HGET, HINCRBY x2, HSET x2, ZADD, PEXPIREAT per key written (every key about once per tenth of
--   the idle expiry), PUBLISH when claimable now; plus a sweep when something is due (see sweep in lib_tasks.lua).
local id = ARGV[1]
local now = now_ms()
sweep(now)
local existing = load(id)
if existing then
  touch(now)
  return { 0, existing.state }
end
local delay = tonumber(ARGV[4])
local t = { state = 'W', attempt = 0, token = 0, priority = tonumber(ARGV[3]), submitted = now, time = 0,
  progress = -1, total = -1, owner = '' }
write('HSET', PAYLOADS, id, ARGV[2])
write('HINCRBY', META, 'submitted', 1)
if delay > 0 then
  t.state, t.time = 'D', now + delay
  save(id, t)
  schedule(DUE, t.time, id)
else
  make_ready(id, t, now)
end
touch(now)
if delay == 0 then redis.call('PUBLISH', CHANNEL, '+') end
return { 1, t.state }
