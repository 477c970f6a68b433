-- Hot call sites whose callee changes part-way: Lua functions, library
-- functions, callable tables, methods replaced at run time, varargs with
-- varying counts, closures with mutated upvalues, recursion inside loops,
-- and errors raised from inside the loop after many iterations.
local function add1(x) return x + 1 end
local function dbl(x) return x * 2 end
local callable = setmetatable({}, {__call = function(_, x) return x - 1 end})
local targets = {add1, dbl, math.abs, callable, tostring}
local acc = 0
for i = 1, 500 do
  local f = targets[(i // 100) + 1] or add1
  local r = f(i - 250)
  acc = acc + (tonumber(r) or 0)
end
print(acc)
local obj = {n = 0}
function obj:step() self.n = self.n + 1 end
for i = 1, 300 do
  if i == 150 then obj.step = function(self) self.n = self.n + 10 end end
  obj:step()
end
print(obj.n)
local function count(...) return select("#", ...) end
local c = 0
for i = 1, 300 do
  if i % 3 == 0 then c = c + count(i, i, i) elseif i % 3 == 1 then c = c + count() else c = c + count(nil, nil) end
end
print(c)
local counter = 0
local function bump(k) counter = counter + k; return counter end
for i = 1, 300 do bump(i % 4) end
print(counter)
local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
local fs = 0
for i = 1, 200 do fs = fs + fact(i % 15) end
print(fs)
local ok, err = pcall(function()
  local t = {}
  for i = 1, 1000 do
    t[i] = i
    if i == 777 then local bad = nil; return bad.field end
  end
end)
print(ok, err)
local results = {}
for i = 1, 300 do
  local ok2, v = pcall(function(x) if x % 50 == 0 then error("e" .. x, 0) end return x end, i)
  if not ok2 then results[#results + 1] = v end
end
print(table.concat(results, ","))
local function multi(i) if i % 2 == 0 then return i, i * 2 end return i end
local m = 0
for i = 1, 300 do
  local a, b = multi(i)
  m = m + a + (b or 0)
end
print(m)
local depth = 0
local function tail(n, acc2) if n == 0 then return acc2 end return tail(n - 1, acc2 + 1) end
for i = 1, 100 do depth = depth + tail(i * 10, 0) end
print(depth)
