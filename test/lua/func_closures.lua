-- Closures: shared upvalues between sibling closures, upvalues that outlive
-- their frame, fresh locals per loop iteration, nested upvalue chains.
local function counter()
  local n = 0
  return function() n = n + 1; return n end, function() return n end
end
local inc, get = counter()
inc(); inc()
print(get())
local inc2 = counter()
print(inc2(), get())
local fs = {}
for i = 1, 3 do fs[i] = function() return i end end
print(fs[1](), fs[2](), fs[3]())
local ws = {}
local j = 0
while j < 3 do
  j = j + 1
  local k = j
  ws[j] = function() k = k + 10; return k end
end
print(ws[1](), ws[1](), ws[2](), ws[3]())
local shared = {}
for _, name in ipairs({"a", "b"}) do
  shared[name] = function() return name end
end
print(shared.a(), shared.b())
local function outer()
  local x = 1
  local function mid()
    local function inner() x = x * 2; return x end
    return inner
  end
  return mid(), function() return x end
end
local dbl, peek = outer()
dbl(); dbl()
print(peek())
local function make_adders()
  local list = {}
  for i = 1, 3 do
    local base = i * 100
    list[i] = function(v) return base + v end
  end
  return list
end
local adders = make_adders()
print(adders[1](1), adders[3](3))
local a = 1
local function geta() return a end
a = 2
print(geta())
local rec
rec = function(n) if n == 0 then return "done" end return rec(n - 1) end
print(rec(10))
