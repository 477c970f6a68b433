-- Syntax error: a multiple-assignment target list must be followed by '='.
local t = {}
t.x, t.y 5
