-- list_leases: one page of leases, walked with a cursor (read-only; HSCAN semantics: a lease present for the whole
-- walk is returned at least once), each with the note its first id's previous holder left.
-- needs: lib_core.lua
-- KEYS: the nine range keys (see lib_core.lua). ARGV[6] cursor ('0' to start), ARGV[7] page size hint.
-- Returns {now, next cursor ('0' when done), first1, value1, note1, first2, value2, note2, ...}; values as stored in
-- the leases hash, notes as stored in the notes hash ('' when there is none).
-- Complexity: O(page size).
local r = redis.call('HSCAN', K_LEASES, ARGV[6], 'COUNT', tonumber(ARGV[7]))
local out = { now_ms(), r[1] }
local page = r[2]
if #page == 0 then return out end
local firsts = {}
for i = 1, #page, 2 do firsts[#firsts + 1] = page[i] end
local notes = redis.call('HMGET', K_NOTES, unpack(firsts))
for i = 1, #firsts do
  out[#out + 1] = page[2 * i - 1]
  out[#out + 1] = page[2 * i]
  out[#out + 1] = notes[i] or ''
end
return out
