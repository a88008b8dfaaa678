-- needs: lib_nowhere.lua
local function unknown() return 1 end
