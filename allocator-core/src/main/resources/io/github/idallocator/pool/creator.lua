-- creator: the pool's creator lease, which decides the one instance that runs maintenance and health checks. Takes it
-- when nobody holds it, renews it when the caller holds it, gives it up when ARGV[2] is '0'.
-- needs: lib_pool.lua
-- KEYS: the pool's keys (see lib_pool.lua); this script uses KEYS[14] only; the last ARGV is maxHolders (unused).
-- ARGV[1] instance id, ARGV[2] creator TTL in ms ('0' to give the role up).
-- Returns {1} when the caller is creator now, {0} when it is not.
-- Complexity: O(1): GET, then SET PX or PEXPIRE or DEL.
local holder = redis.call('GET', KEYS[14])
if ARGV[2] == '0' then
  if holder == ARGV[1] then redis.call('DEL', KEYS[14]) end
  return { 0 }
end
if not holder then
  redis.call('SET', KEYS[14], ARGV[1], 'PX', ARGV[2])
  return { 1 }
end
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[14], ARGV[2])
  return { 1 }
end
return { 0 }
