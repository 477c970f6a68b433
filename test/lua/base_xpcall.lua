-- xpcall with message handlers: handler result replaces the error, handler
-- receives non-string errors, arguments are passed, errors in handlers.
print(xpcall(function(a, b) return a + b end, print, 1, 2))
print(xpcall(function() error("boom") end, function(m) return "handled: " .. m end))
print(xpcall(function() error({1, 2}) end, function(m) return type(m), #m end))
print(xpcall(function() local x = nil; return x.y end, function(m) return (m:gsub("^.-:%d+: ", "")) end))
print(xpcall(error, function(m) return m .. "!" end, "direct"))
local depth = 0
print(xpcall(function() error("first") end, function(m) depth = depth + 1; return depth end))
print(pcall(xpcall))
print(pcall(xpcall, print))
print(xpcall(function() return "no error" end, error))
local function nested()
  return xpcall(function() error("inner") end, function(m) return "inner handler: " .. m end)
end
print(xpcall(nested, function() return "outer" end))
