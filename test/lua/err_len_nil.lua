-- Length of a nil value and of a number.
print(pcall(function() return #5 end))
local list
print(#list)
