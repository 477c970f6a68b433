-- A tokenizer and recursive-descent evaluator for arithmetic expressions
-- with variables, using string.find/match/sub and error handling.
local function tokenize(src)
  local toks, pos = {}, 1
  while pos <= #src do
    local s, e = src:find("^%s+", pos)
    if s then pos = e + 1
    else
      local num = src:match("^%d+%.?%d*", pos)
      if num then toks[#toks + 1] = {k = "num", v = tonumber(num)}; pos = pos + #num
      else
        local id = src:match("^[%a_][%w_]*", pos)
        if id then toks[#toks + 1] = {k = "id", v = id}; pos = pos + #id
        else
          local op = src:sub(pos, pos)
          if not op:find("^[%+%-%*/%^%(%)]$") then error("unexpected character '" .. op .. "' at " .. pos, 0) end
          toks[#toks + 1] = {k = "op", v = op}; pos = pos + 1
        end
      end
    end
  end
  return toks
end
local function evaluate(src, env)
  local toks, i = tokenize(src), 1
  local function peek() return toks[i] and toks[i].v end
  local function take() i = i + 1; return toks[i - 1] end
  local expr
  local function atom()
    local t = take()
    if not t then error("unexpected end", 0) end
    if t.k == "num" then return t.v end
    if t.k == "id" then
      local v = env[t.v]
      if v == nil then error("unknown variable " .. t.v, 0) end
      return v
    end
    if t.v == "(" then local v = expr(); if take().v ~= ")" then error("expected )", 0) end return v end
    if t.v == "-" then return -atom() end
    error("unexpected " .. t.v, 0)
  end
  local function power() local b = atom() if peek() == "^" then take() return b ^ power() end return b end
  local function term()
    local v = power()
    while peek() == "*" or peek() == "/" do
      if take().v == "*" then v = v * power() else v = v / power() end
    end
    return v
  end
  function expr()
    local v = term()
    while peek() == "+" or peek() == "-" do
      if take().v == "+" then v = v + term() else v = v - term() end
    end
    return v
  end
  local v = expr()
  if i <= #toks then error("trailing tokens", 0) end
  return v
end
local env = {x = 3, y = 4, rate = 0.5}
for _, src in ipairs({"1 + 2 * 3", "(1 + 2) * 3", "x * x + y * y", "2 ^ 3 ^ 2", "-x + 10",
                      "rate * (x + y) / 2", "10 / 4", "1 +", "2 * z", "3 $ 4", "(1 + 2"}) do
  local ok, v = pcall(evaluate, src, env)
  print(src, "=>", ok and v or ("error: " .. v))
end
local words = {}
for w in ("The quick brown fox: jumps over; the lazy dog!"):gmatch("%a+") do words[#words + 1] = w:lower() end
print(#words, table.concat(words, "|"))
