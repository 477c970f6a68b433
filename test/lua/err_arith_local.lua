-- Arithmetic on a nil local: the message names the local.
local count
local function bump() return count * 2 end
print(pcall(bump))
local z = count - 1
