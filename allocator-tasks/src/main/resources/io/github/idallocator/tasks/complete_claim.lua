-- complete_claim: a worker finishing a task and taking its next ones in one step: completes the task as complete.lua
-- does, then claims as claim.lua does (whether or not the completion was accepted), so a busy worker needs one round
-- trip per task instead of two.
-- needs: lib_tasks.lua
-- KEYS: the queue's keys (see lib_tasks.lua).
-- ARGV[1] task id, ARGV[2] fencing token of its claim, ARGV[3] result, ARGV[4] owner (the claiming worker's id),
-- ARGV[5] how many tasks to claim at most (0 to 1000), ARGV[6] visibility timeout in ms, then the six common arguments.
-- Returns {1, ''} when completed (now or before, with this token), or {0, why} when refused (as complete.lua), followed
--   by nowMs, then as claim.lua from its count on: count, then per task id, token, attempt, deadlineMs, payload, ms it
--   was claimable before this claim.
-- Complexity: complete.lua's plus, when ARGV[5] > 0, claim.lua's.
local now, now_us = now_ms()
local done, why = complete_task(ARGV[1], ARGV[2], ARGV[3], now)
local reply = { done and 1 or 0, why or '', now }
local wanted = tonumber(ARGV[5])
if wanted > 0 then
  claim_tasks(reply, ARGV[4], wanted, tonumber(ARGV[6]), now, now_us)
else
  reply[#reply + 1] = 0
end
touch(now)
return reply
