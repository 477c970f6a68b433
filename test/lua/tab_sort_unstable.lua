-- table.sort with many equal keys (up to 100 elements, below the size at
-- which lua5.4 randomises its pivot): the resulting order of equal
-- elements and the number of comparator calls follow lua5.4's quicksort.
local state = 3
local function rand(m) state = (state * 1103515245 + 12345) % 2147483648; return (state // 65536) % m + 1 end
for _, n in ipairs({5, 17, 50, 100}) do
  local recs = {}
  for i = 1, n do recs[i] = {k = rand(5), id = i} end
  local calls = 0
  table.sort(recs, function(a, b) calls = calls + 1; return a.k < b.k end)
  local ids = {}
  for i = 1, n do ids[i] = recs[i].k .. ":" .. recs[i].id end
  print(n, calls, table.concat(ids, " "))
end
