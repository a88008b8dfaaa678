-- A helper that needs another.
-- needs: lib_base.lua
local function middle()
  return base() .. '>middle'
end
