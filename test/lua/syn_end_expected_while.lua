-- Syntax error: a missing 'end' of a while loop reported at a later token.
while true do
  print(1)
local x = 1
function g() end
return
