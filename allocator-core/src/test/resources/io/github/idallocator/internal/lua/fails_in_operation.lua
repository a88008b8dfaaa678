-- An operation that fails on its fourth line, after its helpers.
-- needs: lib_base.lua
local value = base()
return value.field.missing
