-- Local declarations, <const> locals, shadowing, multiple assignment order
-- and evaluation of the right-hand side before assignment.
local a, b, c = 1, 2
print(a, b, c)
local x <const> = 42
local s <const> = "str"
print(x, s, x + 1)
do
  local a = "inner"
  print(a)
  do local a = a .. "!" print(a) end
  print(a)
end
print(a)
a, b = b, a
print(a, b)
local t = {1, 2, 3}
local i = 1
i, t[i] = i + 1, 20
print(i, t[1], t[2])
local p, q, r = (function() return 1, 2, 3 end)()
print(p, q, r)
local u, v = ((function() return 1, 2 end)())
print(u, v)
local function count(...) return select("#", ...) end
print(count(nil, nil), count())
local y <close> = nil
print(y)
local m = 1
local m = m + 1
print(m)
