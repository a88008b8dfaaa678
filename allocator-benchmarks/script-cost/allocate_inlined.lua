-- The least a single-id allocate with a lease can run, for comparison only (never used by the library): the same
-- commands as the library's allocate.lua on a range without block summary (HMGET, TIME, BITPOS, STRLEN when the bitmap
-- is full, SETBIT, HINCRBY, ZADD, HSET), written inline: no helper functions, no reclaim path, no counters, no notes.
-- KEYS and ARGV: those of allocate.lua (see lib_core.lua). Returns {1, now, expiry, offset, token, ''}, or an error.
local stored = redis.call('HMGET', KEYS[1], 'min', 'max', 'layout')
if stored[1] and stored[1] ~= ARGV[1] then return redis.error_reply('mismatch') end
if not stored[1] then redis.call('HSET', KEYS[1], 'min', ARGV[1], 'max', ARGV[2], 'layout', 'v2') end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local size = tonumber(ARGV[3])
local p = redis.call('BITPOS', KEYS[2], 0, 0, math.floor((size - 1) / 8))
if p == -1 then p = redis.call('STRLEN', KEYS[2]) * 8 end
if p >= size then return redis.error_reply('full') end
redis.call('SETBIT', KEYS[2], p, 1)
local token = redis.call('HINCRBY', KEYS[1], 'token', 1)
local expiry = now + tonumber(ARGV[6])
redis.call('ZADD', KEYS[5], expiry, p)
redis.call('HSET', KEYS[4], p, ARGV[5] .. '|' .. token .. '|' .. expiry .. '|' .. p)
return { 1, now, expiry, p, token, '' }
