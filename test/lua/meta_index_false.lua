-- __index/__newindex with false values (false is present, nil is not),
-- fields removed and re-added, __newindex on array appends, and __index or
-- __newindex set to a string or a number.
local t = setmetatable({a = false}, {__index = function() return "meta" end, __newindex = function(t, k, v) rawset(t, k, "via newindex") end})
print(t.a, t.b)
t.a = 1
t.c = false
print(t.a, t.c)
t.a = nil
t.a = 2
print(t.a)
local arr = setmetatable({}, {__newindex = function(t, k, v) rawset(t, k, v * 2) end})
for i = 1, 5 do arr[i] = i end
print(table.concat(arr, ","), #arr)
arr[3] = nil
arr[3] = 10
print(arr[3])
local cnt = 0
local p = setmetatable({}, {__index = function(_, k) cnt = cnt + 1 return nil end})
local _ = p.x, p[1], p[true], p[2.5]
print(cnt)
local ix = setmetatable({}, {__index = "not a table"})
print(pcall(function() return ix.len == string.len end))
print(pcall(function() return ix.nothing end))
local ni = setmetatable({}, {__newindex = 42})
print(pcall(function() ni.x = 1 end))
