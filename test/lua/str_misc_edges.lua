-- Assorted string edge cases: gsub replacement values that are numbers
-- (integer and float forms), empty matches, NUL bytes, % escapes in
-- replacements, init past the end, rep with numeric arguments, number
-- to string coercion in concatenation.
print(("abc"):gsub("%w", function(c) return c:byte() / 1 end))
print(("abc"):gsub("%w", {a = 1.0, b = 2^63, c = -0.0}))
print(("a b"):gsub("%w", "%0.%0"))
print(("hello"):gsub("", "%%"))
print(("x"):gsub("x", "\0"):byte(1, -1))
print(string.gsub("abc", "b*", "-"))
print(string.gsub("a,b,,c", ",", ";", 2))
print(string.gsub("abc", "(b)", "%%1=%1"))
print(pcall(string.gsub, "abc", "b", "%"))
print(string.find("abc", "b", 10), string.find("abc", "", 10), string.find("abc", "", 4), string.find("", ""))
print(string.match("key = value", "(%w+)%s*=%s*(%w+)"))
print(string.rep("ab", 3, 1), string.rep(1, 3))
print(("%a"):rep(2), string.format("%s", ("x"):rep(3, 0)))
print(tostring(1e15) .. "", 1e15 .. "", 2^53 .. "", -2^53 .. "", 0.1 .. "")
print(("test"):len(), ("te\0st"):len(), #"日本")
print(string.reverse("a\0b"):byte(1, -1))
print(("CamelCaseString"):gsub("(%u)", " %1"))
print(("  multiple   spaces  "):gsub("%s+", " "))
print(("path/to/file.txt"):match("([^/]+)%.(%w+)$"))
print(("a1b22c333"):gsub("%d+", function(d) return "<" .. #d .. ">" end))
