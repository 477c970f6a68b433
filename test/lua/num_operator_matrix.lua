-- Every binary operator applied to every pair from a set of values of all
-- kinds (integers, floats at the limits, inf, nan, numeric and other
-- strings, booleans, nil, a table), and the unary operators to each value:
-- result subtype and value, or the error message (with its variable
-- description, e.g. which operand a bitwise error blames).
local vals = {0, -0.0, 3, -2, 2.5, math.maxinteger, math.mininteger, 2^63, 1/0, 0/0,
  "10", "0x10", "3.5", "abc", true, nil, {}}
local n = 17
local names = {}
for i = 1, n do
  local v = vals[i]
  names[i] = type(v) == "string" and string.format("%q", v) or type(v) == "table" and "{}" or tostring(v)
end
local function show(ok, r)
  if not ok then return "E:" .. (tostring(r):gsub("^.-:%d+: ", "")) end
  if type(r) == "number" then return math.type(r):sub(1, 1) .. ":" .. tostring(r) end
  if type(r) == "table" then return "table" end
  return tostring(r)
end
for _, op in ipairs({"+", "-", "*", "/", "//", "%", "^", "&", "|", "~", "<<", ">>", "..", "==", "<", "<="}) do
  local f = load("local a, b = ... return a " .. op .. " b")
  for i = 1, n do
    local row = {}
    for j = 1, n do row[j] = show(pcall(f, vals[i], vals[j])) end
    print(names[i] .. " " .. op .. " ...", table.concat(row, " | "))
  end
end
for _, op in ipairs({"-", "~", "#", "not "}) do
  local f = load("local a = ... return " .. op .. "a")
  local row = {}
  for i = 1, n do row[i] = names[i] .. "=>" .. show(pcall(f, vals[i])) end
  print(op, table.concat(row, " | "))
end
