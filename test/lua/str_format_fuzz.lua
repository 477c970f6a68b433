-- 800 generated string.format conversions (flags, width, precision,
-- every conversion letter) applied to values of every kind: the output or
-- the error message.
local state = 5
local function rand(m) state = (state * 1103515245 + 12345) % 2147483648; return (state // 65536) % m + 1 end
local flags = {"", "-", "+", " ", "#", "0", "-+", "+0", "# ", "-#0"}
local convs = {"d", "i", "u", "c", "x", "X", "o", "e", "E", "f", "F", "g", "G", "a", "A", "s", "q"}
local vals = {0, 1, -1, 255, 65, 3.14159, -2.5e-7, 1e100, math.maxinteger, math.mininteger, 0.1, "str", "a\nb", 2^63, -0.0, 1/0}
local out = {}
for i = 1, 800 do
  local spec = "%" .. flags[rand(#flags)]
  if rand(2) == 1 then spec = spec .. tostring(rand(15) - 1) end
  if rand(2) == 1 then spec = spec .. "." .. tostring(rand(12) - 1) end
  spec = spec .. convs[rand(#convs)]
  local v = vals[rand(#vals)]
  local ok, r = pcall(string.format, "[" .. spec .. "]", v)
  out[#out + 1] = spec .. "=" .. (ok and r or ("E:" .. r))
  if #out == 6 then print(table.concat(out, " | ")); out = {} end
end
