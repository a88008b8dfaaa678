-- requeue: makes a dead task claimable again with a fresh count of attempts; its last error stays until it completes.
-- needs: lib_tasks.lua
-- KEYS: the queue's keys (see lib_tasks.lua).
-- ARGV[1] task id, then the six common arguments.
-- Returns 1 when requeued; 0 when the queue has no dead task of that id.
-- Complexity: O(log n): TIME, HGET, ZREM x2, HINCRBY x2, HSET, ZADD, PEXPIREAT per key written (every key about once
--   per tenth of the idle expiry), PUBLISH.
local id = ARGV[1]
local now = now_ms()
local t = load(id)
if not t or t.state ~= 'X' then return 0 end
redis.call('ZREM', DEAD, id)
redis.call('ZREM', EXPIRY, id)
t.attempt, t.progress, t.total = 0, -1, -1
make_ready(id, t, now)
write('HINCRBY', META, 'requeued', 1)
touch(now)
redis.call('PUBLISH', CHANNEL, '+')
return 1
