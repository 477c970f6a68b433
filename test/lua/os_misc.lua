-- os.remove and os.rename on a temporary file, their error results, and
-- os.tmpname giving a usable path.
local name = os.tmpname()
print(type(name))
local f = assert(io.open(name, "w"))
f:write("data")
f:close()
local renamed = name .. ".renamed"
print(os.rename(name, renamed))
print(io.open(name) == nil)
local r = assert(io.open(renamed))
print(r:read("a"))
r:close()
print(os.remove(renamed))
local ok, msg, code = os.remove(renamed)
print(ok, msg == renamed .. ": No such file or directory", code)
print(select("#", os.rename("/nonexistent/a", "/nonexistent/b")), (select(3, os.rename("/nonexistent/a", "/nonexistent/b"))))
