-- Conway's Game of Life on a 30x30 torus: a glider gun-free soup from a
-- fixed pattern, run for 60 generations; prints population counts and the
-- final board rows as text.
local W, H = 30, 30
local function new_board() local b = {} for y = 1, H do b[y] = {} for x = 1, W do b[y][x] = 0 end end return b end
local board = new_board()
local seed = {"..........", "...##.....", "..##......", "...#......", "......###.", ".....#....", "..........", "#.#......."}
for y, row in ipairs(seed) do
  for x = 1, #row do if row:sub(x, x) == "#" then board[y + 10][x + 10] = 1 end end
end
local function step(b)
  local nb = new_board()
  for y = 1, H do
    local up, down = b[(y - 2) % H + 1], b[y % H + 1]
    local row = b[y]
    for x = 1, W do
      local l, r = (x - 2) % W + 1, x % W + 1
      local n = up[l] + up[x] + up[r] + row[l] + row[r] + down[l] + down[x] + down[r]
      if n == 3 or (n == 2 and row[x] == 1) then nb[y][x] = 1 end
    end
  end
  return nb
end
local pops = {}
for gen = 1, 60 do
  board = step(board)
  local p = 0
  for y = 1, H do for x = 1, W do p = p + board[y][x] end end
  pops[#pops + 1] = p
end
print(table.concat(pops, " "))
for y = 1, H do
  local cells = {}
  for x = 1, W do cells[x] = board[y][x] == 1 and "#" or "." end
  local line = table.concat(cells)
  if line:find("#") then print(string.format("%2d %s", y, line)) end
end
