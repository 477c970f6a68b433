-- string.format("%q") output read back with load gives the same value, for
-- every byte value, integers at the limits and floats (hex float form).
local all = {}
for i = 0, 255 do all[#all + 1] = string.char(i) end
all = table.concat(all)
local back = load("return " .. string.format("%q", all))()
print(back == all, #back)
for _, v in ipairs({0, 1, -1, math.maxinteger, math.mininteger, 0.5, -0.0, 1e300, 1 / 3, 2^63, 1 / 0, -1 / 0}) do
  local q = string.format("%q", v)
  local r = load("return " .. q)()
  print(q, r == v, math.type(r) == math.type(v))
end
print(string.format("%q", "line1\nline2\r\0end\"\\"))
print(string.format("%q", "\1\0012\0003\2009"))
