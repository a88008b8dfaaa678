-- An operation that needs a helper that does not exist, through one that does.
-- needs: lib_needs_unknown.lua
return 1
