-- Arithmetic on numeric strings (done by the string library's metamethods
-- in lua5.4) must give the same results as on the numbers themselves, for
-- every operator and sign combination, float and integer strings.
local nums = {"7", "-7", "7.5", "-7.5", "2", "-2", "2.0", "-2.0", "0x10", "1e2", "-0.0", "3"}
local ops = {
  {"+", function(a, b) return a + b end}, {"-", function(a, b) return a - b end},
  {"*", function(a, b) return a * b end}, {"/", function(a, b) return a / b end},
  {"%", function(a, b) return a % b end}, {"//", function(a, b) return a // b end},
  {"^", function(a, b) return a ^ b end},
}
local function show(ok, v)
  if not ok then return "E:" .. (tostring(v):gsub("^.-:%d+: ", "")) end
  return math.type(v):sub(1, 1) .. tostring(v)
end
local mismatches = 0
for _, op in ipairs(ops) do
  local row = {}
  for _, x in ipairs(nums) do
    for _, y in ipairs(nums) do
      local s = show(pcall(op[2], x, y))
      local n = show(pcall(op[2], tonumber(x), tonumber(y)))
      local sn = show(pcall(op[2], x, tonumber(y)))
      if s ~= n or sn ~= n then mismatches = mismatches + 1 end
      row[#row + 1] = s
    end
  end
  print(op[1], table.concat(row, " "))
end
print("string/number mismatches", mismatches)
print(-"2", -"-2.5", -"0x10", pcall(function() return -"x" end))
