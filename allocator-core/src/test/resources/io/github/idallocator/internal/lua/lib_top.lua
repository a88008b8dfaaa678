-- A helper that needs two others, one of them also needed by the other.
-- needs: lib_base.lua lib_middle.lua
local function top()
  return middle() .. '>top'
end
