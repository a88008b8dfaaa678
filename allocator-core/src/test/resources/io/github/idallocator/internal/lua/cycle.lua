-- needs: lib_cycle_a.lua
return 1
