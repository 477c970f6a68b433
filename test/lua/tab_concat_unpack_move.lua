-- table.concat (separator, ranges, numbers, errors), table.unpack and
-- table.move (overlapping ranges, other destination tables).
print(table.concat({1, 2, 3}), table.concat({1, 2, 3}, ", "), table.concat({}, "x"))
print(table.concat({"a", "b", "c"}, "-", 2), table.concat({"a", "b", "c"}, "-", 2, 3), table.concat({"a"}, "-", 3, 2))
print(table.concat({1, 2.5, "s"}, " "))
print(pcall(table.concat, {1, {}, 3}))
print(pcall(table.concat, {1, nil, 3}, ",", 1, 3))
print(pcall(table.concat, {true}))
print(table.unpack({1, 2, 3}, -1, 1))
local t = {1, 2, 3, 4, 5}
table.move(t, 2, 4, 1)
print(table.concat(t, ","))
t = {1, 2, 3, 4, 5}
table.move(t, 1, 3, 3)
print(table.concat(t, ","))
local dst = table.move({1, 2, 3}, 1, 3, 2, {"x"})
print(table.concat(dst, ","))
print(#table.move({}, 1, 0, 1, {9}))
print(pcall(table.move, {}, 1, 2))
local p = table.pack()
print(p.n, #p)
print(table.unpack({n = 2, "a", "b", "c"}))
print(pcall(table.unpack, {}, 1, 1e8))
