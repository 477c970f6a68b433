-- Hot loops over tables whose shape changes part-way: fields added and
-- removed, metatables set, replaced and removed, __index switching between
-- a table and a function, array parts turning into hash parts: written to
-- exercise guards in a tracing JIT as well as the interpreter.
local objs = {}
for i = 1, 300 do objs[i] = {x = i, y = i * 2} end
local sum = 0
for i = 1, 300 do
  local o = objs[i]
  if i == 100 then o.z = 5 end
  if i > 150 then o.x = nil end
  sum = sum + (o.x or 0) + o.y + (o.z or 0)
end
print(sum)
local base = {v = 1}
local proxy = setmetatable({}, {__index = base})
local s2 = 0
for i = 1, 400 do
  if i == 100 then base.v = 2 end
  if i == 200 then setmetatable(proxy, {__index = function(_, k) return k == "v" and 10 or nil end}) end
  if i == 300 then setmetatable(proxy, nil) end
  if i == 350 then proxy.v = 100 end
  s2 = s2 + (proxy.v or -1)
end
print(s2)
local arr = {}
for i = 1, 200 do arr[i] = i end
local s3 = 0
for i = 1, 400 do
  if i == 150 then arr[100] = nil end
  if i == 250 then arr[1000] = 5; arr.name = "x" end
  local v = arr[(i % 200) + 1]
  s3 = s3 + (v or 1000)
end
print(s3, #arr == 200 or #arr == 99)
local mt = {__add = function(a, b) return (type(a) == "table" and a.n or a) + (type(b) == "table" and b.n or b) end}
local s4 = 0
for i = 1, 300 do
  local a = (i % 3 == 0) and setmetatable({n = i}, mt) or i
  s4 = s4 + a
  if type(s4) == "table" then s4 = s4.n end
end
print(s4)
local newidx = {}
local store = {}
local s5 = 0
for i = 1, 300 do
  if i == 120 then setmetatable(newidx, {__newindex = function(t, k, v) store[k] = v * 2 end}) end
  if i == 240 then setmetatable(newidx, nil) end
  newidx[i] = i
  s5 = s5 + (rawget(newidx, i) or 0) + (store[i] or 0)
end
print(s5)
local str = "abcdef"
local s6 = 0
for i = 1, 300 do
  local t = (i % 2 == 0) and str or {len = function() return 100 end}
  s6 = s6 + t:len()
end
print(s6)
local keys = {"a", "b", "c", 1, 2, 2.0, "a"}
local kt = {}
for i = 1, 350 do
  local k = keys[i % #keys + 1]
  kt[k] = (kt[k] or 0) + i
end
print(kt.a, kt.b, kt.c, kt[1], kt[2])
