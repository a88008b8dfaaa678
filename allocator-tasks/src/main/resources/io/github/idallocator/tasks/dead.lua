-- dead: one page of the dead tasks, most recently dead first. Read-only.
-- needs: lib_tasks.lua
-- KEYS: the queue's keys (see lib_tasks.lua).
-- ARGV[1] offset (0 for the first page), ARGV[2] count (1 to 1000), then the six common arguments.
-- Returns {total dead, then per task: id, diedMs, record, last error or false}.
-- Complexity: O(log n + k) for k tasks returned: ZCARD, ZREVRANGE, HGET x2 per task.
local ids = redis.call('ZREVRANGE', DEAD, tonumber(ARGV[1]), tonumber(ARGV[1]) + tonumber(ARGV[2]) - 1, 'WITHSCORES')
local reply = { redis.call('ZCARD', DEAD) }
for i = 1, #ids, 2 do
  reply[#reply + 1] = ids[i]
  reply[#reply + 1] = tonumber(ids[i + 1])
  reply[#reply + 1] = redis.call('HGET', TASKS, ids[i]) or ''
  reply[#reply + 1] = redis.call('HGET', ERRORS, ids[i]) or false
end
return reply
