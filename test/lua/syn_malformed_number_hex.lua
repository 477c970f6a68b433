-- Syntax error: a malformed hexadecimal/exponent numeral.
local n = 0x1p
