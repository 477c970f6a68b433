-- Upvalue edge cases: closing over locals of loops left by break and goto,
-- repeat-until conditions reading body locals captured by closures, the
-- same local captured at several nesting levels, parameters and varargs
-- copied into locals, and upvalues of upvalues updated from every level.
local fs = {}
for i = 1, 10 do
  local j = i * 2
  fs[#fs + 1] = function() j = j + 1; return i, j end
  if i == 3 then break end
end
print(fs[1](), fs[1](), fs[3]())
local gs = {}
local k = 0
repeat
  k = k + 1
  local captured = k
  gs[k] = function() return captured end
until captured >= 3
print(gs[1](), gs[2](), gs[3]())
local function level1()
  local x = 0
  local function level2()
    local function level3() x = x + 100; return x end
    x = x + 10
    return level3
  end
  x = x + 1
  return level2, function() return x end
end
local l2, get = level1()
local l3 = l2()
print(get(), l3(), get(), l2()(), get())
local function params(a, ...)
  local rest = {...}
  return function() a = a + #rest; return a end
end
local p = params(1, "x", "y")
print(p(), p())
local shared
do
  local v = "first"
  shared = {get = function() return v end, set = function(n) v = n end}
end
shared.set("second")
print(shared.get())
local acc = {}
for idx, name in ipairs({"a", "b", "c"}) do
  acc[idx] = function(suffix) name = name .. suffix; return name end
end
print(acc[1]("1"), acc[1]("2"), acc[2]("!"), acc[3](""))
local function counter_pair()
  local n = 0
  return function() n = n + 1 return n end, function() n = n - 1 return n end
end
local inc, dec = counter_pair()
inc(); inc(); inc(); dec()
print(inc())
local wfs = {}
local w = 0
while w < 3 do
  w = w + 1
  local ww = w
  wfs[w] = function() return ww * 10 end
  if w == 2 then goto skip end
  ww = ww + 1
  ::skip::
end
print(wfs[1](), wfs[2](), wfs[3]())
