-- Concatenating a table (and, caught, a nil and a boolean).
print(pcall(function() local v; return "a" .. v end))
print(pcall(function() return "a" .. true end))
local parts = {}
print("result: " .. parts)
