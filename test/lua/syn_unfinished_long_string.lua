-- Syntax error: a long string never closed.
local s = [==[ starts here
and never ends ]]
