-- A helper without helpers of its own.
local function base()
  return 'base'
end
