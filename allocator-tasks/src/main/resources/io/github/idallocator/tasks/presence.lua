-- presence: records that a worker of this queue is alive until now plus ARGV[2] ms (Redis server time), or, with 0,
-- that it stopped; drops the workers whose presence ended.
-- needs: lib_tasks.lua
-- KEYS: the queue's keys (see lib_tasks.lua).
-- ARGV[1] worker id, ARGV[2] presence time in ms (0: the worker stopped), then the six common arguments.
-- Returns the number of live workers.
-- Complexity: O(log n + k) for k workers dropped: TIME, ZADD or ZREM, ZREMRANGEBYSCORE, ZCARD, PEXPIREAT per key
--   written (every key about once per tenth of the idle expiry).
local now = now_ms()
local ttl = tonumber(ARGV[2])
if ttl > 0 then
  write('ZADD', WORKERS, now + ttl, ARGV[1])
else
  redis.call('ZREM', WORKERS, ARGV[1])
end
redis.call('ZREMRANGEBYSCORE', WORKERS, '-inf', now)
touch(now)
return redis.call('ZCARD', WORKERS)
