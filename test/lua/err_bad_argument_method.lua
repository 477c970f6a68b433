-- A bad argument to a method call counts arguments from after self.
local s = "abc"
print(s:sub(1, 2))
print(s:rep({}))
