-- Bad argument errors from library functions, uncaught.
print(pcall(string.rep))
print(pcall(math.floor, {}))
print(pcall(table.concat, {}, 1))
print(pcall(("x").rep, "x", "y"))
print(pcall(setmetatable, 1))
print(pcall(ipairs))
string.rep()
