-- An operation that fails inside a helper.
-- needs: lib_fails.lua
return fails()
