-- Metamethods are fetched raw from the metatable: a metatable whose own
-- metatable has __index does not inherit __add, __index, __len,
-- __tostring, __concat, __call or __newindex through it.
local base = {__add = function() return "base add" end, __tostring = function() return "base ts" end,
              __index = function() return "base index" end, __len = function() return 7 end}
local mt = setmetatable({}, {__index = base})
local obj = setmetatable({}, mt)
print(mt.__add ~= nil, rawget(mt, "__add"))
print(pcall(function() return obj + 1 end))
print(obj.anything, #obj)
print((tostring(obj):gsub("0x%x+", "ADDR")))
local mt2 = setmetatable({}, {__index = function(_, k) return function() return "dyn " .. k end end})
local o2 = setmetatable({}, mt2)
print(pcall(function() return o2 .. "x" end))
print(pcall(function() return o2() end))
local proxymt = setmetatable({}, {__newindex = function() error("should not be called") end})
local o3 = setmetatable({}, proxymt)
o3.x = 1
print(o3.x)
mt.__add = base.__add
print(obj + 1)
