-- table.sort: numbers, strings, with a comparator, stability not assumed
-- (only key order checked), larger arrays, invalid order function errors.
local t = {5, 2, 8, 1, 9, 3, 7, 4, 6, 0}
table.sort(t)
print(table.concat(t, " "))
table.sort(t, function(a, b) return a > b end)
print(table.concat(t, " "))
local words = {"pear", "apple", "fig", "banana", "Cherry", "date"}
table.sort(words)
print(table.concat(words, " "))
table.sort(words, function(a, b) return #a < #b or (#a == #b and a < b) end)
print(table.concat(words, " "))
local recs = {{n = "b", v = 2}, {n = "a", v = 3}, {n = "c", v = 1}}
table.sort(recs, function(x, y) return x.v < y.v end)
for _, r in ipairs(recs) do io.write(r.n) end print()
local big = {}
local x = 12345
for i = 1, 2000 do x = (x * 1103515245 + 12345) % 2147483648; big[i] = x % 1000 end
table.sort(big)
local ok = true
for i = 2, #big do if big[i - 1] > big[i] then ok = false end end
print("sorted", ok, big[1], big[1000], big[2000])
local mixed = {3, 1.5, 2, -1, 2.5}
table.sort(mixed)
print(table.concat(mixed, " "))
print(pcall(table.sort, {3, "a", 1}))
print(pcall(table.sort, {1, 2, 3}, 42))
table.sort({})
table.sort({1})
local same = {2, 2, 2, 1, 1}
table.sort(same)
print(table.concat(same, ""))
local ok2, err = pcall(table.sort, {5, 4, 3, 2, 1, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, function(a, b) return true end)
print(ok2, err)
