-- init: creates the pool in Redis, or attaches to the one stored there.
-- needs: lib_pool.lua
-- KEYS: the pool's keys (see lib_pool.lua).
-- ARGV[1] maxHolders configured (1 to 10000), the last ARGV as for every pool script.
-- Returns {1} when this call created the pool, {0} when it attached.
-- Errors: IDALLOC_WRONGTYPE <key> <type> <expected> when a key of the pool holds another type; IDALLOC_MISMATCH
--   maxHolders <stored> <configured> when the stored pool takes another number of holders per resource. Both are
--   raised before anything is written.
-- Complexity: O(1): one TYPE per key, HGET, HSET.
local expected = { 'hash', 'hash', 'zset', 'hash', 'zset', 'zset', 'hash', 'zset', 'zset', 'zset', 'zset', 'hash',
  'zset', 'string' }
for i, key in ipairs(KEYS) do
  local actual = redis.call('TYPE', key)['ok']
  if actual ~= 'none' and actual ~= expected[i] then
    return redis.error_reply('IDALLOC_WRONGTYPE ' .. key .. ' ' .. actual .. ' ' .. expected[i])
  end
end
local stored = redis.call('HGET', META, 'maxHolders')
if stored then
  if tonumber(stored) ~= CAP then
    return redis.error_reply('IDALLOC_MISMATCH maxHolders ' .. stored .. ' ' .. fmt(CAP))
  end
  return { 0 }
end
redis.call('HSET', META, 'maxHolders', fmt(CAP))
return { 1 }
