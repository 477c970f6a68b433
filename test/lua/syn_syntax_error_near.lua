-- Syntax error: a field access used as a statement.
local t = {}
t.x 5
