-- bench-small: 6
-- bench-large: 13
-- N-queens by backtracking over column and diagonal occupancy arrays.
-- Checksum: the number of solutions for n and n-1.
local n = tonumber(arg and arg[1]) or 12
local function solve(size)
  local cols, d1, d2 = {}, {}, {}
  local solutions = 0
  local function place(row)
    if row > size then solutions = solutions + 1; return end
    for c = 1, size do
      local a, b = row + c, row - c + size
      if not cols[c] and not d1[a] and not d2[b] then
        cols[c], d1[a], d2[b] = true, true, true
        place(row + 1)
        cols[c], d1[a], d2[b] = false, false, false
      end
    end
  end
  place(1)
  return solutions
end
local total = 0
total = solve(n)
print(string.format("%d %d", total, solve(n - 1)))
