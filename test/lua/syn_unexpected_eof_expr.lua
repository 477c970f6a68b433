-- Syntax error: a binary operator with no right operand at the end.
local x = 1 +
