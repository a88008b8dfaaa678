-- quarantine: keeps a resource from being handed out until ARGV[2] ms from now (a quarantined resource gets the new
-- end); its holders keep their leases.
-- needs: lib_pool.lua
-- KEYS: the pool's keys (see lib_pool.lua); the last ARGV is maxHolders (see there).
-- ARGV[1] resource, ARGV[2] duration in ms, ARGV[3] reason.
-- Returns {1, quarantinedUntilMs} when quarantined; {0} when the pool has no such resource or it is draining.
-- Complexity: O(log n): HGET, HSET x2, ZADD, ZREM.
local cap = max_holders()
local r = ARGV[1]
local rec = load(r)
if not rec or rec.state == 'D' then return { 0 } end
local until_ms = now_ms() + tonumber(ARGV[2])
start_quarantine(r, rec, until_ms, ARGV[3], cap)
return { 1, until_ms }
