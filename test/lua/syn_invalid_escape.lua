-- Syntax error: an unknown escape sequence in a string.
local s = "bad \q escape"
