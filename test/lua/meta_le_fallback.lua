-- Without __le, lua5.4 (built with LUA_COMPAT_LT_LE, as Debian's is)
-- evaluates a <= b as not (b < a) through __lt.
local calls = {}
local V = {__lt = function(a, b) calls[#calls + 1] = a.n .. "<" .. b.n; return a.n < b.n end}
local function v(n) return setmetatable({n = n}, V) end
local one, two = v(1), v(2)
print(one <= two, two <= one, one <= one, one >= two, two >= one)
print(table.concat(calls, " "))
local only_lt = setmetatable({}, {__lt = function() return true end})
print(only_lt <= only_lt, only_lt >= only_lt, only_lt < only_lt)
print(pcall(function() return setmetatable({}, {}) <= setmetatable({}, {}) end))
