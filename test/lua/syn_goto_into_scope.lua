-- Syntax error: goto jumping into the scope of a local.
goto skip
local x = 1
::skip::
print(x)
