-- __index and __newindex as tables and functions, chains of __index tables,
-- rawget/rawset bypassing them, and inherited defaults.
local base = {greet = function() return "hello" end, x = 1}
local mid = setmetatable({y = 2}, {__index = base})
local obj = setmetatable({}, {__index = mid})
print(obj.x, obj.y, obj.greet(), obj.z, rawget(obj, "x"))
local calls = 0
local lazy = setmetatable({}, {__index = function(t, k)
  calls = calls + 1
  local v = k .. "!"
  rawset(t, k, v)
  return v
end})
print(lazy.a, lazy.a, lazy.b, calls)
local log = {}
local store = {}
local proxy = setmetatable({}, {
  __index = store,
  __newindex = function(t, k, v) log[#log + 1] = k; rawset(store, k, v) end,
})
proxy.a = 1; proxy.b = 2; proxy.a = 3
print(proxy.a, proxy.b, rawget(proxy, "a"), table.concat(log, ","))
local sink = {}
local redirect = setmetatable({}, {__newindex = sink})
redirect.k = "v"
print(rawget(redirect, "k"), sink.k)
local existing = setmetatable({present = 1}, {__newindex = function() error("not called") end})
existing.present = 2
print(existing.present)
local ro = setmetatable({}, {__newindex = function(_, k) error("read-only: " .. k, 2) end})
print(pcall(function() ro.field = 1 end))
local deep = {}
for i = 1, 10 do deep = setmetatable({}, {__index = deep}) end
print(deep.missing)
local defaults = setmetatable({}, {__index = function() return 0 end})
defaults.count = defaults.count + 5
print(defaults.count, defaults.other)
local arr = setmetatable({}, {__index = function(_, i) return i * i end})
print(arr[3], arr[10])
local chain2 = setmetatable({}, {__newindex = setmetatable({}, {__newindex = sink})})
chain2.q = "deep"
print(sink.q, rawget(chain2, "q"))
