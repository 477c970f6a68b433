-- pairs, ipairs and next: traversal results compared order-independently,
-- modification of existing fields during traversal, ipairs stopping at nil.
local t = {10, 20, 30, x = "a", y = "b", [3.5] = "f", [true] = "t"}
local seen = {}
for k, v in pairs(t) do seen[#seen + 1] = tostring(k) .. "=" .. tostring(v) end
table.sort(seen)
print(table.concat(seen, " "))
local count = 0
local k, v = next(t)
while k ~= nil do count = count + 1; k, v = next(t, k) end
print("count", count)
print(next({}), next({}, nil), type(next), rawequal(next, pairs({})))
for i, x in ipairs({1, 2, nil, 4}) do io.write(i, "=", x, " ") end print()
local m = {a = 1, b = 2, c = 3, d = 4}
for key in pairs(m) do m[key] = m[key] * 10 end
local sum = 0
for _, x in pairs(m) do sum = sum + x end
print("sum", sum)
for key in pairs(m) do m[key] = nil end
print("emptied", next(m))
print(pcall(next, {}, "missing"))
print(pcall(ipairs))
print(pcall(function() for _ in pairs(nil) do end end))
local arr = {}
for i = 1, 10 do arr[i] = i end
local s2 = 0
for _, x in pairs(arr) do s2 = s2 + x end
print(s2)
local f, s, init = ipairs({})
print(type(f), type(s), init)
