-- An operation whose needs line cannot be read.
-- needs: lib_base.lua, lib_middle.lua
return 1
