-- A helper whose function fails at run time on its fifth line.
-- needs: lib_base.lua
local function fails()
  local missing = nil
  return missing.field
end
