-- Limits on nested C calls: pcall inside pcall, __index and __add
-- metamethods recursing through the VM, gsub callbacks recursing, and
-- errors raised inside table.sort comparators and __tostring.
local function nest(k) if k == 0 then return "bottom" end local ok, v = pcall(nest, k - 1) return ok and v or ("err:" .. tostring(v)) end
print(nest(100))
print(nest(180))
print((nest(250):gsub("^err:.-: ", "err: ")))
local t = setmetatable({}, {__index = function(t, k) if k > 0 then return t[k - 1] + 1 end return 0 end})
print(t[100])
print(pcall(function() return t[250] end))
local mt = {}
mt.__add = function(a, b) if b > 0 then return a + (b - 1) end return 0 end
local o = setmetatable({}, mt)
print(o + 50)
print(pcall(function() return o + 300 end))
local s = ("x"):rep(10)
local depth = 0
local function g(str) depth = depth + 1 if depth > 150 then return str end return (str:gsub("x", function(c) return g(c) end, 1)) end
print(g(s))
local cmp = 0
local arr = {}
for i = 1, 50 do arr[i] = (i * 7) % 50 end
table.sort(arr, function(a, b) cmp = cmp + 1 return a < b end)
print(arr[1], arr[50], cmp > 0)
print(pcall(table.sort, {3, 2, 1}, function(a, b) error("in comparator") end))
print(pcall(string.format, "%s", setmetatable({}, {__tostring = function() error("ts error") end})))
