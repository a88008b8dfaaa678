-- bindings: one page of the soft bindings (HSCAN); expired ones and those of removed resources are left out; read-only.
-- needs: lib_pool.lua
-- KEYS: the pool's keys (see lib_pool.lua); the last ARGV is maxHolders (see there).
-- ARGV[1] cursor ('0' for the first page), ARGV[2] count (a hint, 1 to 1000).
-- Returns {next cursor ('0' after the last page), name, resource, expiresMs, name, resource, expiresMs, ...}.
-- Complexity: O(count log n).
local now = now_ms()
local page = redis.call('HSCAN', BINDS, ARGV[1], 'COUNT', tonumber(ARGV[2]))
local reply = { page[1] }
local fields = page[2]
for i = 1, #fields, 2 do
  local exp = redis.call('ZSCORE', BINDEXP, fields[i])
  if exp and tonumber(exp) >= now and redis.call('HEXISTS', RES, fields[i + 1]) == 1 then
    reply[#reply + 1] = fields[i]
    reply[#reply + 1] = fields[i + 1]
    reply[#reply + 1] = tonumber(exp)
  end
end
return reply
