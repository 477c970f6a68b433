-- Calling a non-function local value.
local n = 42
n()
