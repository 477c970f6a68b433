-- Nested hot loops whose inner trip counts and exit paths vary from one
-- outer iteration to the next (break, goto continue, return from a helper,
-- while and repeat loops): side exits and side traces under a tracing JIT.
local total = 0
for i = 1, 200 do
  local j = 0
  while true do
    j = j + 1
    if j > i % 17 then break end
    if (i + j) % 5 == 0 then goto continue end
    total = total + i * j
    ::continue::
  end
end
print(total)
local function find_first(t, pred)
  for k = 1, #t do if pred(t[k]) then return k, t[k] end end
  return nil
end
local data = {}
for i = 1, 300 do data[i] = (i * 37) % 101 end
local found = 0
for lim = 1, 100 do
  local k, v = find_first(data, function(x) return x > lim end)
  found = found + (k or 0) + (v or 0)
end
print(found)
local r = 0
for i = 1, 150 do
  local n = i
  repeat
    if n % 2 == 0 then n = n // 2 else n = 3 * n + 1 end
    r = r + 1
  until n == 1 or r > 100000
end
print(r)
local grid = {}
for y = 1, 40 do
  grid[y] = {}
  for x = 1, 40 do grid[y][x] = (x * y) % 7 == 0 end
end
local paths = 0
for y = 1, 40 do
  for x = 1, 40 do
    if grid[y][x] then
      local dx = x
      while dx <= 40 and grid[y][dx] do dx = dx + 1 end
      paths = paths + dx - x
    elseif x > y then
      break
    end
  end
end
print(paths)
local outer = 0
for a = 1, 30 do
  for b = 1, 30 do
    for c = 1, 30 do
      if a * a + b * b == c * c then outer = outer + a + b + c; goto next_a end
    end
  end
  ::next_a::
end
print(outer)
