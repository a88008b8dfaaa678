-- An operation that names only some of the helpers it ends up needing, one of them twice over.
-- needs: lib_top.lua lib_middle.lua
return top()
