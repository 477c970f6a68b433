-- bench-small: 200000
-- bench-large: 60000000
-- Numeric loop: nested integer and float arithmetic in tight for loops.
-- Checksum: the accumulated sums, printed as integers.
local n = tonumber(arg and arg[1]) or 15000000
local isum, fsum = 0, 0.0
for i = 1, n do
  local x = i % 1000
  isum = isum + x * 3 - (x % 7)
  if isum > 1000000000 then isum = isum - 1000000000 end
  fsum = fsum + x * 0.5
end
local inner = 0
for i = 1, n / 100 do
  for j = 1, 100 do inner = inner + (i + j) % 13 end
end
print(string.format("%d %d %d", isum, math.floor(fsum), inner))
