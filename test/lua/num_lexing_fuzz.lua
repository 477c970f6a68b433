-- Generated numeral-like strings through tonumber and through the lexer
-- (load), then string.format float conversions and tostring over
-- awkward values (denormals, halfway cases, limits).
local state = 99
local function rand(m) state = (state * 1103515245 + 12345) % 2147483648; return (state // 65536) % m + 1 end
local pieces = {"0", "1", "9", "5", ".", "e", "E", "-", "+", "x", "X", "p", "a", "f", " ", "00", "12345678901234567890", "inf", "nan", "0x"}
local out = {}
for i = 1, 1500 do
  local s = {}
  for j = 1, rand(6) do s[j] = pieces[rand(#pieces)] end
  s = table.concat(s)
  local n = tonumber(s)
  local c = load("return " .. s)
  local lv = "-"
  if c then local ok, v = pcall(c); lv = ok and (math.type(v) or type(v)) .. ":" .. tostring(v) or "E" end
  out[#out + 1] = string.format("%q=%s/%s/%s", s, n and math.type(n) or "nil", tostring(n), lv)
  if #out == 8 then print(table.concat(out, " ")); out = {} end
end
local fmts = {"%g", "%.3g", "%.17g", "%e", "%.0e", "%f", "%.1f", "%a", "%5.2f", "%-12.4e", "%+g", "%#g", "%.0f", "%10.3a"}
local vals = {0.1, 1/3, 2^-1022, 2^-1074, 1e21, 123456789, 0.5, 1.5, 2.5, -0.0, 1e-10, 2^63, 9.999999e9, 99.95, 0.045}
for _, f in ipairs(fmts) do
  local row = {}
  for _, v in ipairs(vals) do row[#row + 1] = string.format(f, v) end
  print(f, table.concat(row, "|"))
end
for _, v in ipairs(vals) do io.write(tostring(v), " ", tostring(-v), " ") end
print()
for e = -330, 310, 7 do io.write(tostring(1.2345678901234567 * 10.0^e), " ") end
print()
