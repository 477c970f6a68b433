-- bench-small: 10
-- bench-large: 16
-- Binary trees: allocation of many short-lived small tables (GC pressure)
-- and recursive traversal. Checksum: node counts of every phase.
local maxdepth = tonumber(arg and arg[1]) or 14
local function make(d)
  if d == 0 then return {} end
  d = d - 1
  return {make(d), make(d)}
end
local function check(t)
  if t[1] then return 1 + check(t[1]) + check(t[2]) end
  return 1
end
local mindepth = 4
if mindepth + 2 > maxdepth then maxdepth = mindepth + 2 end
local out = {}
out[#out + 1] = string.format("%d", check(make(maxdepth + 1)))
local longlived = make(maxdepth)
for d = mindepth, maxdepth, 2 do
  local iters = 2 ^ (maxdepth - d + mindepth)
  local c = 0
  for _ = 1, iters do c = c + check(make(d)) end
  out[#out + 1] = string.format("%d", c)
end
out[#out + 1] = string.format("%d", check(longlived))
print(table.concat(out, " "))
