-- Generated patterns (from a fixed linear congruential sequence, not
-- math.random) run through find, match, gsub and gmatch on a set of
-- subjects: results, captures, position captures and error messages.
local state = 12345
local function rand(m)
  state = (state * 1103515245 + 12345) % 2147483648
  if m then return state % m + 1 end
  return state / 2147483648
end
local atoms = {"a", "b", ".", "%a", "%d", "%s", "%w", "[ab]", "[^a]", "[a-c]", "%%", "%.", "x", "[%d_]", "%f[%w]", "%bab", "()", "%1"}
local quants = {"", "", "*", "+", "-", "?"}
local subjects = {"", "a", "ab", "aab", "abc abc", "a1b2 c3", "xx..yy", "aaa bbb", "ba ab", "a_1 b%2", "  lead", "trail  ", "a(b)c", "abab"}
local function gen()
  local parts = {}
  if rand() < 0.2 then parts[1] = "^" end
  local ncap = 0
  for _ = 1, rand(4) do
    local a = atoms[rand(#atoms)]
    if a == "%1" and ncap == 0 then a = "a" end
    local q = quants[rand(#quants)]
    if a == "()" or a == "%1" or a:sub(1, 2) == "%b" or a:sub(1, 2) == "%f" then q = "" end
    if rand() < 0.15 then parts[#parts + 1] = "(" .. a .. q .. ")"; ncap = ncap + 1
    else parts[#parts + 1] = a .. q end
  end
  if rand() < 0.2 then parts[#parts + 1] = "$" end
  return table.concat(parts)
end
local function show(ok, ...)
  if not ok then return "E:" .. tostring((...)) end
  local t = {}
  for i = 1, select("#", ...) do t[i] = tostring((select(i, ...))) end
  return table.concat(t, ",")
end
for _ = 1, 150 do
  local p = gen()
  local row = {}
  for _, s in ipairs(subjects) do
    row[#row + 1] = show(pcall(string.find, s, p))
    row[#row + 1] = show(pcall(string.match, s, p))
    row[#row + 1] = show(pcall(string.gsub, s, p, "<%0>"))
    local ok, it = pcall(string.gmatch, s, p)
    if ok then
      local got, n = {}, 0
      local ok2, err = pcall(function() for a, b in it do n = n + 1; got[#got + 1] = tostring(a) .. "/" .. tostring(b); if n > 50 then break end end end)
      row[#row + 1] = ok2 and table.concat(got, ";") or ("E:" .. err)
    end
  end
  print(string.format("%q", p), table.concat(row, " | "))
end
