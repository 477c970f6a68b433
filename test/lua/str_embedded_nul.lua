-- Strings with embedded NUL bytes through print, io.write, format (%s
-- without and with width/precision), patterns (%z and literal \0), rep,
-- concat, case functions, comparison, table keys and %q.
print("a\0b", #"a\0b")
io.write("c\0d\n")
print(string.format("%s|", "x\0y"), pcall(string.format, "%5s", "\0"), pcall(string.format, "%.1s", "a\0"))
print(("a\0b\0c"):gsub("\0", "<0>"))
print(("a\0b"):find("\0"), ("a\0b"):find("%z"), ("a\0b"):match(".%z?(.)"))
print(("\0\0\0"):rep(2, "\0"):len(), ("x"):rep(3, "\0"))
print(table.concat({"a", "\0", "b"}, "\0"):byte(1, -1))
print(("a\0b"):upper(), ("A\0B"):lower(), ("a\0b"):reverse())
print(tostring("a\0b") == "a\0b", "a\0b" < "a\0c", "a\0" < "a\0\0")
local t = {["k\0a"] = 1, ["k\0b"] = 2}
print(t["k\0a"], t["k\0b"], t["k"])
print(string.format("%q", "\0001\0a"))
