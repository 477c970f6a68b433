-- string.find: plain and pattern search, init positions (negative, past
-- the end), anchors, captures returned after the indices.
local s = "hello world, hello lua"
print(s:find("hello"), s:find("hello", 2), s:find("xyz"), s:find(""))
print(s:find("", 100), s:find("", #s + 1), s:find("", #s + 2), s:find("l", -3))
print(s:find("o w"), s:find("(h)(e)"), s:find("l+"), s:find("^hello"), s:find("^world"))
print(s:find("lua$"), s:find("hello$"), s:find(".", 1, true), s:find("a.b", 1, true))
print(("a.b*c"):find(".", 1, true), ("a.b*c"):find("*", 1, true), ("a+b"):find("+", 1, true))
print(("abc"):find("b", -100), ("abc"):find("c", 3), ("abc"):find("c", 4), ("abc"):find("", 4))
print(("x = 10"):find("(%w+)%s*=%s*(%d+)"))
print(("[test]"):find("[", 1, true), ("f(x)"):find("(", 1, true))
print(("aaa"):find("a-"), ("aaa"):find("a-$"), ("aaab"):find("a*b"), ("b"):find("a*b"))
print(("hello"):find("()ll()"))
print(("abc"):find("%a+", 2), ("  x"):find("%S"), ("1.5e10"):find("^%d+%.?%d*[eE]?%d*$"))
print(("\0a\0"):find("a"), ("\0a\0"):find("%z") or "no %z match", ("a\0b"):find("\0", 1, true))
