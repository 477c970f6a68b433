-- Syntax error: a character that starts no token.
local a = 1
local b = a @ 2
