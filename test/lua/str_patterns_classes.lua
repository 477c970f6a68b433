-- Every pattern class (%a %c %d %g %l %p %s %u %w %x and their negations)
-- over all 256 byte values, counted, so class tables must match C's
-- isalpha & co in the C locale.
local classes = {"a", "c", "d", "g", "l", "p", "s", "u", "w", "x"}
local all = {}
for i = 0, 255 do all[#all + 1] = string.char(i) end
all = table.concat(all)
for _, c in ipairs(classes) do
  local _, n = all:gsub("%" .. c, "")
  local _, m = all:gsub("%" .. c:upper(), "")
  local first = all:match("%" .. c)
  print(c, n, m, first and first:byte())
end
local _, n = all:gsub("[%a%d]", "")
print("[%a%d]", n)
local _, m = all:gsub("[^%s%p]", "")
print("[^%s%p]", m)
local _, r = all:gsub("[a-f0-3]", "")
print("[a-f0-3]", r)
local _, dot = all:gsub(".", "")
print(".", dot)
