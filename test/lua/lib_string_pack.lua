-- string.pack/unpack/packsize: integer sizes, endianness, alignment,
-- strings (z, s[n], c[n]), floats, and their error messages.
local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
local function e(f, ...)
  local r = table.pack(pcall(f, ...))
  for i = 1, r.n do
    if type(r[i]) == "string" and f ~= nil and r[1] then r[i] = hex(r[i]) else r[i] = tostring(r[i]) end
  end
  print(table.concat(r, " ", 1, r.n))
end
e(string.pack, "i4", 100) e(string.pack, ">i4", 100) e(string.pack, "<i2 >i2 =i2", 1, 2, 3)
e(string.pack, "b B h H l L j J T", -1, 255, -2, 65535, -3, 3, -4, 4, 5)
e(string.pack, "i16", -2) e(string.pack, ">I16", 7) e(string.pack, "i3", 2^23) e(string.pack, "I1", 256) e(string.pack, "i1", -129)
e(string.pack, "f d n", 1.5, -2.25, 1/3)
e(string.pack, "z s1 s c5", "hi", "abc", "xy", "ab")
e(string.pack, "c2", "abc") e(string.pack, "z", "a\0b") e(string.pack, "s1", string.rep("x", 256))
e(string.pack, "!4 b i4 b h d", 1, 2, 3, 4, 5.0) e(string.pack, "!8 b Xd b", 1, 2) e(string.pack, "b x x b", 1, 2)
e(string.pack, "i17", 1) e(string.pack, "i0", 1) e(string.pack, "c", "a") e(string.pack, "y", 1) e(string.pack, "!3 i4", 1)
e(string.pack, "X", 1) e(string.pack, "Xc1", 1) e(string.pack, "i4") e(string.pack, "i4", "x") e(string.pack, "i4", 1.5)
e(string.packsize, "i4 i8 d") e(string.packsize, "!8 b d") e(string.packsize, "s") e(string.packsize, "z") e(string.packsize, "c1000")
e(string.unpack, "i4", string.pack("i4", -7)) e(string.unpack, "<I2 >I2", "\1\2\1\2")
e(string.unpack, "z s1 c2", string.pack("z s1 c2", "hey", "ab", "cd"))
e(string.unpack, "d f", string.pack("d f", 1.25, 0.5))
e(string.unpack, "i4", "abc") e(string.unpack, "z", "abc") e(string.unpack, "i4", "abcdefgh", 5) e(string.unpack, "i4", "abcdefgh", -4)
e(string.unpack, "i4", "abcd", 6) e(string.unpack, "b", "abcd", -10)
e(string.unpack, "i16", string.pack("i16", -5)) e(string.unpack, "i9", "\0\0\0\0\0\0\0\0\1") e(string.unpack, "I9", "\255\255\255\255\255\255\255\255\0")
e(string.unpack, "s1", "\5ab") e(string.unpack, "!4 b i4", string.pack("!4 b i4", 1, 2))
e(string.unpack, " < > = ", "")
e(string.pack, "i4 i4", 1, 2, 3)
