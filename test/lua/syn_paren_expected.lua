-- Syntax error: an argument list not closed.
print(1, 2
local x = 3
