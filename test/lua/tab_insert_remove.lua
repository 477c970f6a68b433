-- table.insert and table.remove at the end, front and middle, their
-- position errors, and the border cases of remove on empty tables.
local t = {}
table.insert(t, "a"); table.insert(t, "b"); table.insert(t, 1, "c"); table.insert(t, 2, "d")
print(table.concat(t, ","), #t)
table.insert(t, #t + 1, "e")
print(table.concat(t, ","))
print(table.remove(t), table.concat(t, ","))
print(table.remove(t, 1), table.concat(t, ","))
print(table.remove(t, 2), table.concat(t, ","))
print(table.remove({}), table.remove({}, 0), table.remove({}, 1))
local one = {1}
print(table.remove(one, 2), #one)
print(pcall(table.insert, {1, 2}, 5, "x"))
print(pcall(table.insert, {1, 2}, 0, "x"))
print(pcall(table.insert, {}, 1, 2, 3))
print(pcall(table.insert, {}))
print(pcall(table.remove, {1, 2, 3}, 7))
print(pcall(table.insert, nil, 1))
local z = {[0] = "zero"}
print(table.remove(z, 0), z[0])
local q = {}
for i = 1, 10 do table.insert(q, i) end
while #q > 0 do io.write(table.remove(q, 1), " ") end print()
local mt = setmetatable({}, {__len = function() return 2 end, __index = function(_, k) return "v" .. k end})
print(table.remove(mt))
