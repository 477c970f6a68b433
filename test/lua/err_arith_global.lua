-- Arithmetic on an undefined global: the message names the global.
print("start")
local y = 1 + undefined_x
