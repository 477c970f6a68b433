-- An error raised inside a metamethod propagates with its own position.
local mt = {__add = function(a, b) error("no adding allowed") end}
local x = setmetatable({}, mt)
print(pcall(function() return x + 1 end))
local y = x + x
