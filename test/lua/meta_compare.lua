-- __eq, __lt and __le: when they are called (only for two tables or two
-- userdata, never for primitive equality), result conversion to boolean,
-- and the negated forms.
local P = {}
local calls = 0
P.__eq = function(a, b) calls = calls + 1; return a.v == b.v end
P.__lt = function(a, b) return a.v < b.v end
P.__le = function(a, b) return a.v <= b.v end
local function p(v) return setmetatable({v = v}, P) end
local a, b, c = p(1), p(1), p(2)
print(a == b, a ~= b, a == c, a ~= c, calls)
print(a == a, calls)
print(a == 1, calls)
print(a < c, c < a, a <= b, a > c, c >= a, not (a < c))
local Q = setmetatable({v = 1}, {__eq = function() return true end})
print(Q == a, a == Q)
local r = setmetatable({}, {__lt = function() return 1 end, __le = function() return nil end})
print(r < r, r <= r, r > r, r >= r)
print(pcall(function() return p(1) < 1 end))
local mixed = setmetatable({}, {__lt = function(x, y) return type(x) == "number" end})
print(5 < mixed, mixed < 5)
local e1 = setmetatable({}, {__eq = function() return "yes" end})
local e2 = setmetatable({}, {})
print(e1 == e2, e2 == e1)
