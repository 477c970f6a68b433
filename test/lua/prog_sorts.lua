-- Sorting algorithms written in Lua (insertion, merge, quick, heap) on the
-- same pseudo-random data, checked against table.sort.
local function lcg(seed)
  return function() seed = (seed * 1103515245 + 12345) % 2147483648; return seed % 10000 end
end
local function data(n)
  local r, t = lcg(2024), {}
  for i = 1, n do t[i] = r() end
  return t
end
local function copy(t) local c = {} for i = 1, #t do c[i] = t[i] end return c end
local function insertion(t)
  for i = 2, #t do
    local v, j = t[i], i - 1
    while j >= 1 and t[j] > v do t[j + 1] = t[j]; j = j - 1 end
    t[j + 1] = v
  end
  return t
end
local function merge_sort(t)
  if #t <= 1 then return t end
  local mid = #t // 2
  local a, b = {}, {}
  for i = 1, mid do a[i] = t[i] end
  for i = mid + 1, #t do b[i - mid] = t[i] end
  a, b = merge_sort(a), merge_sort(b)
  local r, i, j = {}, 1, 1
  while i <= #a and j <= #b do
    if a[i] <= b[j] then r[#r + 1] = a[i]; i = i + 1 else r[#r + 1] = b[j]; j = j + 1 end
  end
  for k = i, #a do r[#r + 1] = a[k] end
  for k = j, #b do r[#r + 1] = b[k] end
  return r
end
local function quick(t, lo, hi)
  lo, hi = lo or 1, hi or #t
  if lo >= hi then return t end
  local p, i = t[(lo + hi) // 2], lo
  local j = hi
  while i <= j do
    while t[i] < p do i = i + 1 end
    while t[j] > p do j = j - 1 end
    if i <= j then t[i], t[j] = t[j], t[i]; i = i + 1; j = j - 1 end
  end
  quick(t, lo, j)
  return quick(t, i, hi)
end
local function heap(t)
  local n = #t
  local function sift(s, e)
    local root = s
    while 2 * root <= e do
      local c = 2 * root
      if c + 1 <= e and t[c] < t[c + 1] then c = c + 1 end
      if t[root] < t[c] then t[root], t[c] = t[c], t[root]; root = c else return end
    end
  end
  for s = n // 2, 1, -1 do sift(s, n) end
  for e = n, 2, -1 do t[1], t[e] = t[e], t[1]; sift(1, e - 1) end
  return t
end
local base = data(3000)
local ref = copy(base)
table.sort(ref)
local function same(t) for i = 1, #ref do if t[i] ~= ref[i] then return false end end return #t == #ref end
print("insertion", same(insertion(copy(base))))
print("merge", same(merge_sort(copy(base))))
print("quick", same(quick(copy(base))))
print("heap", same(heap(copy(base))))
print(ref[1], ref[1500], ref[3000], #ref)
