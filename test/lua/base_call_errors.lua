-- Call errors and their descriptions: generic-for iterators that are not
-- callable, callable tables as iterators, methods and fields that are nil,
-- and bad arguments named after the call site (method or field).
print(pcall(function() for k in 5 do end end))
print(pcall(function() for k in nil do end end))
print(pcall(function() for k in {} do end end))
print(pcall(function() local t = {} for k in t do end end))
print(pcall(function() for k, v in pairs({}), 5 do end end))
local calls = 0
for k in setmetatable({}, {__call = function(self, s, c) calls = calls + 1; if calls < 3 then return calls end end}) do io.write(k, " ") end print()
print(pcall(function() for i = 1, 2 do local x = nil; x() end end))
print(pcall(function() local a = {} ; a.b.c() end))
print(pcall(function() string.nothing.x() end))
print(pcall(function() return ({}):method() end))
print(pcall(function() local s = "x"; return s:nomethod() end))
print(pcall(function() return math.sin() end))
print(pcall(function() return ("x"):rep() end))
print(pcall(function() return ("x").rep() end))
print(pcall(function() local t = setmetatable({}, {__index = function() return nil end}); return t.f() end))
