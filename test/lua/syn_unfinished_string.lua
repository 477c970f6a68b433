-- Syntax error: a string literal not closed before the end of the line.
local s = "abc
print(s)
