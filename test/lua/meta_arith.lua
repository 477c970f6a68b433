-- Arithmetic and bitwise metamethods (all of them), __unm, __concat and
-- __len, with the operand order and mixed operand types.
local V = {}
V.__index = V
local function v(x) return setmetatable({x = x}, V) end
local function val(a) return type(a) == "table" and a.x or a end
for _, op in ipairs({"add", "sub", "mul", "div", "mod", "pow", "idiv",
                     "band", "bor", "bxor", "shl", "shr"}) do
  V["__" .. op] = function(a, b) return op .. "(" .. tostring(val(a)) .. "," .. tostring(val(b)) .. ")" end
end
V.__unm = function(a) return "unm(" .. a.x .. ")" end
V.__bnot = function(a) return "bnot(" .. a.x .. ")" end
V.__concat = function(a, b) return "cat(" .. tostring(val(a)) .. "," .. tostring(val(b)) .. ")" end
V.__len = function(a) return 42 end
local a, b = v(1), v(2)
print(a + b, a - 1, 2 * a, a / b, a % 3, a ^ 2, a // b)
print(a & 1, 1 | a, a ~ b, a << 1, 1 >> a)
print(-a, ~a, #a)
print(a .. b, "s" .. a, a .. 3, 1 .. a)
print("x" .. "y" .. a, a .. "y" .. "z")
local s = setmetatable({}, {__add = function(x, y) return "left" end})
print(s + 1, 1 + s, "5" + s)
print(pcall(function() return {} + 1 end))
local only_right = setmetatable({}, {__sub = function(x, y) return type(x) .. "-" .. type(y) end})
print(5 - only_right, only_right - 5)
local mt = {__index = function(t, k) return k end}
local n = setmetatable({}, mt)
print(#n, n.foo)
local len = setmetatable({1, 2, 3}, {__len = function() return -1 end})
print(#len, rawlen(len))
print(pcall(function() return #5 end))
