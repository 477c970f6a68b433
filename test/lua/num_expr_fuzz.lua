-- 800 generated expressions over literals, locals, globals and fields
-- with every operator (constant-folded when all operands are literals):
-- result subtype and value, runtime error or compile error.
local state = 4242
local function rand(m) state = (state * 1103515245 + 12345) % 2147483648; return (state // 65536) % m + 1 end
local lits = {"0", "1", "-1", "2", "3", "7", "0.5", "-2.5", "1e308", "2^53", "math.maxinteger", "math.mininteger", "(0/0)", "(1/0)", "-0.0",
  "'10'", "'3.5'", "'x'", "true", "false", "nil", "a", "b", "c", "s", "t.k", "t[1]"}
local bin = {"+", "-", "*", "/", "//", "%", "^", "&", "|", "~", "<<", ">>", "..", "==", "~=", "<", "<=", ">", ">=", "and", "or"}
local un = {"-", "not ", "~", "#"}
local function gen(d)
  if d == 0 or rand(3) == 1 then return lits[rand(#lits)] end
  local r = rand(10)
  if r <= 7 then return "(" .. gen(d - 1) .. " " .. bin[rand(#bin)] .. " " .. gen(d - 1) .. ")"
  elseif r <= 9 then return un[rand(#un)] .. gen(d - 1)
  else return "(" .. gen(d - 1) .. ")" end
end
local function show(ok, v)
  if not ok then return "E:" .. (tostring(v):gsub("^.-:%d+: ", "")) end
  if type(v) == "number" then return math.type(v):sub(1, 1) .. tostring(v) end
  if type(v) == "table" then return "table" end
  return tostring(v)
end
local env = setmetatable({t = {k = 5, 9}, s = "str", math = math}, {__index = _G})
for i = 1, 800 do
  local e = gen(3)
  local f, err = load("local a, b, c = 3, 2.5, '4' return " .. e, "=e", "t", env)
  print(i, e, f and show(pcall(f)) or ("C:" .. err))
end
