-- string.len, sub (all index forms), upper, lower, rep (with separator),
-- reverse, byte and char.
local s = "Hello, World"
print(string.len(s), #s, s:len(), (""):len(), ("\0\0"):len())
print(s:sub(1, 5), s:sub(8), s:sub(-5), s:sub(-5, -2), s:sub(0), s:sub(5, 1), s:sub(100), s:sub(-100, 2))
print(s:sub(2, 2), s:sub(3, -3), s:sub(math.mininteger, math.maxinteger), s:sub(13), s:sub(12))
print(s:upper(), s:lower(), ("MiXeD 123 ÿ"):upper())
print(("ab"):rep(3), ("ab"):rep(3, "-"), ("x"):rep(0), ("x"):rep(-1), ("x"):rep(1, "sep"), (""):rep(5))
print(s:reverse(), (""):reverse(), ("a"):reverse())
print(s:byte(), s:byte(1), s:byte(-1), s:byte(1, 3), s:byte(100), s:byte(3, 2))
print(string.char(72, 105), string.char(), string.char(0):len(), string.char(255):byte())
print(pcall(string.char, 256))
print(pcall(string.char, -1))
print(pcall(string.rep))
print(pcall(string.sub))
print(pcall(string.sub, "x", "a"))
print(string.sub("hello", 2.0, 3), pcall(string.sub, "hello", 1.5))
print(("%d"):rep(2), string.len(123), string.upper(12.5))
print(s:byte(-3, -1))
