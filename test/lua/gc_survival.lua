-- Garbage collection correctness: objects reachable only through upvalues,
-- metatables, table values and closures survive many forced and
-- incremental collections with their contents intact.
local live = {}
local function make(i)
  local secret = {value = i, name = "obj" .. i}
  local mt = {__index = function(_, k) return secret[k] end, __tostring = function() return secret.name end}
  return setmetatable({}, mt)
end
local keyed = {}
for i = 1, 2000 do
  live[i] = make(i)
  keyed[{} ] = nil
  keyed["k" .. i] = {i, tostring(i):rep(3)}
  if i % 100 == 0 then collectgarbage() end
  if i % 7 == 0 then collectgarbage("step", 0) end
end
local ok = true
for i = 1, 2000 do
  if live[i].value ~= i or tostring(live[i]) ~= "obj" .. i then ok = false end
  local k = keyed["k" .. i]
  if k[1] ~= i or k[2] ~= tostring(i):rep(3) then ok = false end
end
print("survived", ok)
local chain = nil
for i = 1, 50000 do chain = {next = chain, v = i} ; if i % 5000 == 0 then collectgarbage("step", 10) end end
local sum, n = 0, 0
while chain do sum = sum + chain.v; n = n + 1; chain = chain.next end
print(n, sum)
local fns = {}
for i = 1, 1000 do
  local a, b = i, {i}
  fns[i] = function(...) return a + b[1] + select("#", ...) end
  if i % 50 == 0 then collectgarbage() end
end
local s = 0
for i = 1, 1000 do s = s + fns[i](1, 2) end
print(s)
local big = {}
for r = 1, 30 do
  local t = {}
  for i = 1, 3000 do t[i] = ("s" .. i .. "_" .. r) end
  big[r % 5] = t
  collectgarbage("step")
end
local cnt = 0
for k, t in pairs(big) do for _, v in ipairs(t) do cnt = cnt + #v end end
print(cnt)
local strs = {}
for i = 1, 20000 do strs[i % 100] = string.format("%d-%s", i, ("x"):rep(i % 50)) end
collectgarbage()
local tot = 0
for i = 0, 99 do tot = tot + #strs[i] end
print(tot)
