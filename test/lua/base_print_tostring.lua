-- print and string.format("%s") convert with __tostring directly, not
-- through the global tostring; results of __tostring that are not strings.
local orig = tostring
tostring = function(v) return "OVERRIDDEN" end
print(1, "a", nil, true)
tostring = orig
local t = setmetatable({}, {__tostring = function() return "meta" end})
print(t, tostring(t))
print(("%s"):format(t))
io.write(tostring(12), "\n")
print(pcall(io.write, t))
print(pcall(print, setmetatable({}, {__tostring = function() return nil end})))
print(pcall(print, setmetatable({}, {__tostring = function() return 12 end})))
print(pcall(table.concat, {1, 2}, setmetatable({}, {__tostring = function() return "," end})))
