-- Varargs: select with positive and negative indices, '#', table.pack and
-- table.unpack with ranges, nils inside varargs, varargs in the middle.
local function f(...)
  return select("#", ...), ...
end
print(f())
print(f(nil))
print(f(1, nil, 3, nil))
print(select(2, "a", "b", "c"))
print(select(-1, "a", "b", "c"))
print(select(-3, "a", "b", "c"))
print(pcall(select, -4, "a", "b", "c"))
print(pcall(select, 0, "a"))
print(select(5, "a", "b"))
local p = table.pack(1, nil, 3)
print(p.n, p[1], p[2], p[3])
print(table.unpack({1, 2, 3}))
print(table.unpack({1, 2, 3}, 2))
print(table.unpack({1, 2, 3}, 2, 5))
print(table.unpack({}, 1, 0))
print(table.unpack({"x"}, -1, 1))
local function g(a, b, ...)
  local n = select("#", ...)
  return a, b, n, (...)
end
print(g(1))
print(g(1, 2, 3, 4))
local function sum(...)
  local s = 0
  for i = 1, select("#", ...) do s = s + (select(i, ...)) end
  return s
end
print(sum(1, 2, 3, 4, 5))
local function pass(...) return ... end
print(pass(1, 2), pass(3, 4))
print((pass(1, 2)))
local function tail(...) return select("#", ...) end
print(tail(pass()), tail(pass(), 1), tail(nil, pass()))
local t = {pass(1, 2, 3), pass(4, 5)}
print(#t, t[1], t[2], t[3])
local big = {}
for i = 1, 200 do big[i] = i end
print(select("#", table.unpack(big)), sum(table.unpack(big)))
