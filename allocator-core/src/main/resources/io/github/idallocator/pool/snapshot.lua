-- snapshot: one page of the resources (HSCAN) with their holders, and the pool's totals and first waiters, in one
-- read; read-only. Expired leases not yet collected are left out of the holders.
-- needs: lib_pool.lua
-- KEYS: the pool's keys (see lib_pool.lua); the last ARGV is maxHolders (see there).
-- ARGV[1] cursor ('0' for the first page), ARGV[2] count (a hint, 1 to 1000).
-- Returns {next cursor ('0' after the last page), nowMs, maxHolders,
--   {resources, available, leases, quarantined, draining, waiters, bindings, expired, revoked, autoquarantined},
--   {ticket, score, ticket deadline, ... for the first 100 waiters},
--   {name, record, metadata, reason, {owner, token, expiresMs, ...}} for each resource of the page ...}.
-- Complexity: O(count (log n + h)), h the holders per resource, plus O(log n) for the waiters.
local now = now_ms()
local meta = redis.call('HMGET', META, 'maxHolders', 'draining', 'expired', 'revoked', 'autoq')
local function num(v) return tonumber(v or '0') end
local totals = { redis.call('HLEN', RES), redis.call('ZCARD', FREE), redis.call('HLEN', LEASES),
  redis.call('ZCARD', QUAR), num(meta[2]), redis.call('ZCARD', WAITERS), redis.call('HLEN', BINDS), num(meta[3]),
  num(meta[4]), num(meta[5]) }
local waiters = {}
local first = redis.call('ZRANGE', WAITERS, 0, 99, 'WITHSCORES')
for i = 1, #first, 2 do
  waiters[#waiters + 1] = first[i]
  waiters[#waiters + 1] = first[i + 1]
  waiters[#waiters + 1] = tonumber(redis.call('ZSCORE', WDEAD, first[i]) or '0')
end
local page = redis.call('HSCAN', RES, ARGV[1], 'COUNT', tonumber(ARGV[2]))
local reply = { page[1], now, num(meta[1]), totals, waiters }
local fields = page[2]
for i = 1, #fields, 2 do
  local r = fields[i]
  local info = redis.call('HMGET', INFO, 'm|' .. r, 'q|' .. r)
  local holders = {}
  for _, member in ipairs(redis.call('ZRANGEBYLEX', HOLDERS, '[' .. r .. '|', '[' .. r .. '|\255')) do
    local owner = string.sub(member, #r + 2)
    local token, exp = lease_of(owner)
    if token and exp >= now then
      holders[#holders + 1] = owner
      holders[#holders + 1] = token
      holders[#holders + 1] = exp
    end
  end
  reply[#reply + 1] = { r, fields[i + 1], info[1] or '', info[2] or '', holders }
end
return reply
