-- Every one-argument math function over boundary values (signed zeros,
-- tiny and huge floats, integer limits, inf, nan), printed with %.17g and
-- subtype; fmod/max/min/log with a base over pairs of operands.
local vals = {0, -0.0, 1, -1, 0.5, -0.5, 2.5, -2.5, 1e-300, 1e300, 2^53, -2^53, 2^63, -2^63, math.maxinteger, math.mininteger, 1/0, -1/0, 0/0, 7, -7, 3.7, -3.7}
local fns = {"floor", "ceil", "abs", "sqrt", "exp", "log", "sin", "cos", "tan", "asin", "acos", "atan", "modf", "tointeger", "type", "deg", "rad"}
local function show(...)
  local t = {}
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    t[i] = type(v) == "number" and (math.type(v):sub(1, 1) .. string.format("%.17g", v)) or tostring(v)
  end
  return table.concat(t, "/")
end
for _, f in ipairs(fns) do
  local row = {}
  for _, v in ipairs(vals) do
    local ok, r = pcall(function() return show(math[f](v)) end)
    row[#row + 1] = ok and r or "E"
  end
  print(f, table.concat(row, " "))
end
for _, p in ipairs({{7, 3}, {-7, 3}, {7, -3}, {7.5, 2}, {-7.5, -2}, {1, 0.0}, {0, 0.0}, {math.mininteger, -1}, {5, math.huge}, {-5, -math.huge}, {1/0, 2}}) do
  io.write(show(math.fmod(p[1], p[2])), " ", show(math.max(p[1], p[2])), " ", show(math.min(p[1], p[2])), " ", show(math.log(math.abs(p[1]) + 1, 2)), " | ")
end
print()
print(show(math.ult(1, 2), math.ult(-1, 1), math.ult(0, -1)))
