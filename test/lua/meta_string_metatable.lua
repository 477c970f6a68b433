-- The string metatable is an ordinary table: replacing its __index, adding
-- __call, and replacing or removing the arithmetic metamethods through
-- which lua5.4 does all string arithmetic ("1" + "2" calls __add).
-- __concat/__len/__eq/__lt on it are never used for two strings.
local smt = getmetatable("")
local old_index = smt.__index
smt.__index = function(s, k) if type(k) == "number" then return s:sub(k, k) end return old_index[k] end
print(("hello")[2], ("hello"):upper(), ("hello")[10])
smt.__call = function(s, a) return s .. "(" .. tostring(a) .. ")" end
print(("f")(1), ("g")"x")
local old_add = smt.__add
smt.__add = function(a, b) return "added" end
print("1" + "2", "x" + 1)
smt.__add = old_add
print("1" + "2")
smt.__unm = nil
print(pcall(function() return -"2" end))
smt.__index = old_index
smt.__call = nil
string.twice = function(s) return s .. s end
print(("ab"):twice())
smt.__concat = function() return "never for strings" end
print("a" .. "b", pcall(function() return "a" .. {} end))
smt.__concat = nil
smt.__len = function() return 99 end
print(#"abc")
smt.__len = nil
smt.__eq = function() return true end
print("a" == "b")
smt.__eq = nil
smt.__lt = function() return true end
print("b" < "a")
smt.__lt = nil
