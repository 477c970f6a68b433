-- A small matrix library with metatables: construction, __add, __mul
-- (matrix and scalar), __eq, __tostring, transpose, identity, determinant.
local Matrix = {}
Matrix.__index = Matrix
function Matrix.new(rows) return setmetatable(rows, Matrix) end
function Matrix.identity(n)
  local m = {}
  for i = 1, n do m[i] = {} for j = 1, n do m[i][j] = i == j and 1 or 0 end end
  return Matrix.new(m)
end
function Matrix.__add(a, b)
  local r = {}
  for i = 1, #a do r[i] = {} for j = 1, #a[1] do r[i][j] = a[i][j] + b[i][j] end end
  return Matrix.new(r)
end
function Matrix.__mul(a, b)
  if type(a) == "number" then a, b = b, a end
  local r = {}
  if type(b) == "number" then
    for i = 1, #a do r[i] = {} for j = 1, #a[1] do r[i][j] = a[i][j] * b end end
    return Matrix.new(r)
  end
  assert(#a[1] == #b, "dimension mismatch")
  for i = 1, #a do
    r[i] = {}
    for j = 1, #b[1] do
      local s = 0
      for k = 1, #b do s = s + a[i][k] * b[k][j] end
      r[i][j] = s
    end
  end
  return Matrix.new(r)
end
function Matrix.__eq(a, b)
  if #a ~= #b then return false end
  for i = 1, #a do for j = 1, #a[i] do if a[i][j] ~= b[i][j] then return false end end end
  return true
end
function Matrix.__tostring(m)
  local lines = {}
  for i = 1, #m do lines[i] = table.concat(m[i], " ") end
  return table.concat(lines, "\n")
end
function Matrix:transpose()
  local r = {}
  for j = 1, #self[1] do r[j] = {} for i = 1, #self do r[j][i] = self[i][j] end end
  return Matrix.new(r)
end
function Matrix:det()
  local n = #self
  if n == 1 then return self[1][1] end
  local d = 0
  for j = 1, n do
    local minor = {}
    for i = 2, n do
      local row = {}
      for k = 1, n do if k ~= j then row[#row + 1] = self[i][k] end end
      minor[#minor + 1] = row
    end
    d = d + (-1) ^ (j + 1) * self[1][j] * Matrix.new(minor):det()
  end
  return d
end
local a = Matrix.new({{1, 2}, {3, 4}})
local b = Matrix.new({{5, 6}, {7, 8}})
print(a + b)
print(a * b)
print(2 * a)
print(a * Matrix.identity(2) == a, a == b, a:transpose():transpose() == a)
print(a:transpose())
print(Matrix.new({{2, 0, 1}, {1, 3, 2}, {1, 1, 1}}):det(), a:det())
print(pcall(function() return a * Matrix.new({{1, 2, 3}}) end))
local p = Matrix.identity(3)
local m = Matrix.new({{1, 1, 0}, {0, 1, 1}, {1, 0, 1}})
for _ = 1, 10 do p = p * m end
print(p)
