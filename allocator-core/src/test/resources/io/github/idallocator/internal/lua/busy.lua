-- Keeps Redis busy for ARGV[1] ms by its own clock, then returns 1: a command in flight for that long.
local function now_us()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000000 + tonumber(t[2])
end
local ends = now_us() + tonumber(ARGV[1]) * 1000
while now_us() < ends do end
return 1
