-- The transitive operation, returning its result in a list.
-- needs: lib_top.lua lib_middle.lua
return { top() }
