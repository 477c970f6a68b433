-- Syntax error: a numeral followed directly by letters.
local n = 3x
