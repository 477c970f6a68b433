-- bench-small: 100
-- bench-large: 1800
-- Mandelbrot set: float arithmetic in nested loops over an n x n grid,
-- 50 iterations per point. Checksum: points in the set and an iteration sum.
local n = tonumber(arg and arg[1]) or 900
local inside, itersum = 0, 0
for y = 0, n - 1 do
  local ci = 2.0 * y / n - 1.0
  for x = 0, n - 1 do
    local cr = 2.0 * x / n - 1.5
    local zr, zi, zr2, zi2 = 0.0, 0.0, 0.0, 0.0
    local it = 0
    while it < 50 and zr2 + zi2 <= 4.0 do
      zi = 2.0 * zr * zi + ci
      zr = zr2 - zi2 + cr
      zr2, zi2 = zr * zr, zi * zi
      it = it + 1
    end
    if it == 50 then inside = inside + 1 end
    itersum = itersum + it
  end
end
print(string.format("%d %d", inside, itersum))
