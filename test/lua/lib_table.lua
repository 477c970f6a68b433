-- table library edge cases: insert/remove position rules, concat errors,
-- pack/unpack ranges, move with overlap, sort with comparators, ties in the
-- same order as lua5.4, invalid order functions, tables with metamethods.
local function show(...)
  local r = table.pack(...)
  for i = 1, r.n do r[i] = tostring(r[i]) end
  print(table.concat(r, " ", 1, r.n))
end
local function e(f, ...) show(pcall(f, ...)) end
local t = {1,2,3}
table.insert(t, 4); table.insert(t, 1, 0); print(table.concat(t, ","))
print(pcall(table.insert, t, 7, 1)); print(pcall(table.insert, t)); print(pcall(table.insert, t, 1, 2, 3))
print(pcall(table.insert, t, 0, 1))
print(table.remove(t), table.remove(t, 1), table.concat(t, ","))
print(table.remove({}), table.remove({}, 0), pcall(table.remove, {}, 2))
local e = {} print(table.remove(e, #e + 1))
print(pcall(table.remove, {1,2}, 5))
print(table.concat({1, 2.5, "x"}, "-", 2, 3), table.concat({}, "x"), table.concat({1,2,3}, ", ", 3, 2))
print(pcall(table.concat, {1, {}, 3}))
print(pcall(table.concat, {1, 2}, ",", 1, 3))
local p = table.pack(1, nil, 3) print(p.n, p[1], p[2], p[3])
print(table.unpack({1, 2, 3})) print(table.unpack({1, 2, 3}, 2)) print(table.unpack({1, 2, 3}, 2, 5)) print(table.unpack({}, 1, 0))
print(pcall(table.unpack, {}, 1, 1e8))
print(table.concat(table.move({1,2,3,4,5}, 2, 4, 1), ","))
print(table.concat(table.move({1,2,3,4,5}, 1, 3, 3), ","))
print(table.concat(table.move({1,2,3}, 1, 3, 2, {}), ",", 2, 4))
local s = {5,3,8,1,9,2,7,4,6,0} table.sort(s) print(table.concat(s, " "))
table.sort(s, function(a, b) return a > b end) print(table.concat(s, " "))
local words = {} for w in ("the quick brown fox jumps over the lazy dog again and again"):gmatch("%a+") do words[#words+1] = w end
table.sort(words, function(a, b) return #a < #b end) print(table.concat(words, " "))
local big = {} for i = 1, 300 do big[i] = (i * 7919) % 1000 end
local recs = {} for i = 1, 300 do recs[i] = {k = big[i] % 10, id = i} end
table.sort(recs, function(a, b) return a.k < b.k end)
local out = {} for i = 1, 300 do out[i] = recs[i].id end print(table.concat(out, " "))
print(pcall(table.sort, {3,1,2,5,4,7,6,9,8,10,11,12,13,14,15,16,17,18,19,20}, function(a,b) return true end))
print(pcall(table.sort, {1,"x",3}))
print(pcall(table.sort, {1,2,3}, 3))
local prox = setmetatable({}, {__index = function(_, k) return k * 10 end, __len = function() return 3 end})
print(table.concat(prox, ","), table.unpack(prox))
print(pcall(table.insert, 1, 2))
print(pcall(table.concat, {}, {}))
