-- The standalone interpreter's script arguments: arg[0] is the script name,
-- there are no further arguments, and the main chunk is a vararg function.
print(arg[0], #arg, arg[1], select("#", ...))
print(type(arg), ... == nil)
local function count(...) return select("#", ...) end
print(count(...))
