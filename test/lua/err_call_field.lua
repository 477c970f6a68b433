-- Calling a nil field and a nil method.
local obj = {}
print(pcall(function() obj.missing() end))
obj:method()
