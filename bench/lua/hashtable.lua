-- bench-small: 20000
-- bench-large: 1200000
-- Hash-table workload: inserts, lookups, updates and deletions with string
-- and integer keys, table growth and traversal with pairs. Checksum:
-- counts and sums (independent of traversal order).
local n = tonumber(arg and arg[1]) or 400000
local strtab, inttab = {}, {}
local keys = {}
for i = 1, n do keys[i] = "key" .. (i * 7919 % n) end
for i = 1, n do
  strtab[keys[i]] = i
  inttab[i * 31 % (2 * n)] = i
end
local hits, sum = 0, 0
for i = 1, n do
  local v = strtab["key" .. i]
  if v then hits = hits + 1; sum = sum + v end
  local w = inttab[i]
  if w then sum = sum + w end
end
for i = 1, n, 2 do strtab[keys[i]] = nil end
for i = 1, n, 3 do inttab[i * 31 % (2 * n)] = nil end
local left, lsum = 0, 0
for _, v in pairs(strtab) do left = left + 1; lsum = lsum + v end
for k, v in pairs(inttab) do left = left + 1; lsum = lsum + k % 1000 + v end
local counts = {}
for i = 1, n do
  local k = keys[i]:sub(-2)
  counts[k] = (counts[k] or 0) + 1
end
local distinct = 0
for _ in pairs(counts) do distinct = distinct + 1 end
print(string.format("%d %d %d %d %d", hits, sum % 1000000007, left, lsum % 1000000007, distinct))
