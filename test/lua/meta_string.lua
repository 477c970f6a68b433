-- The string metatable: method calls on string values and literals,
-- indexing a string with a non-method key, and string arithmetic
-- metamethods.
print(("x"):rep(3), ("abc"):upper(), ("%d-%d"):format(1, 2))
local s = "Hello"
print(s:len(), s:lower(), s:byte(1), s:sub(-3), #s)
print(("a,b,c"):gsub(",", ";"))
print(s.len == string.len, s.nonexistent)
string.shout = function(x) return x:upper() .. "!" end
print(("hey"):shout())
print(("10") + 1, "3" * "4", ("2"):rep(2) + 0)
print(pcall(function() return ("x"):nomethod() end))
print(pcall(function() return "abc" + 1 end))
print(math.type("10" // 1), math.type("10" / 1))
