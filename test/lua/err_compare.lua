-- Comparing values of incompatible types.
print(pcall(function() return 1 < "x" end))
print(pcall(function() return {} <= {} end))
local t = {}
if t < 5 then print("no") end
