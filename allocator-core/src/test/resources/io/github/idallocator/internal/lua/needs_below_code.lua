-- An operation that names a helper after its first line of code, where it would be ignored.
local x = 1
-- needs: lib_base.lua
return x
