-- rawget, rawset, rawequal and rawlen bypass metamethods; their argument
-- checks.
local mt = {__index = function() return "meta" end, __newindex = function() error("nope") end,
            __eq = function() return true end, __len = function() return 99 end}
local a = setmetatable({1, 2}, mt)
local b = setmetatable({}, mt)
print(a.x, rawget(a, "x"), rawget(a, 1))
rawset(a, "x", "raw")
print(a.x, rawset(a, "y", 1) == a)
print(a == b, rawequal(a, b), rawequal(a, a), rawequal(1, 1.0), rawequal("a", "a"))
print(#a, rawlen(a), rawlen("abcd"))
print(pcall(rawlen, 5))
print(pcall(rawget, "s", 1))
print(pcall(rawset, {}, nil, 1))
print(pcall(rawset, {}, 0/0, 1))
print(pcall(function() local t = {}; t[nil] = 1 end))
print(pcall(function() local t = {}; t[0/0] = 1 end))
print(({})[nil], ({})[0/0])
