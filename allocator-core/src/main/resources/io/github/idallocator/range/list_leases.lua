-- list_leases: one page of leases, walked with a cursor (read-only; HSCAN semantics: a lease present for the whole
-- needs: lib_core.lua
-- walk is returned at least once).
-- KEYS: the nine range keys (see lib_core.lua). ARGV[6] cursor ('0' to start), ARGV[7] page size hint.
-- Returns {now, next cursor ('0' when done), first1, value1, first2, value2, ...}; values as stored in the leases hash.
-- Complexity: O(page size).
local r = redis.call('HSCAN', K_LEASES, ARGV[6], 'COUNT', tonumber(ARGV[7]))
local out = { now_ms(), r[1] }
for _, v in ipairs(r[2]) do out[#out + 1] = v end
return out
