-- How lua5.4 describes the value in call, index, arithmetic and concat
-- errors for every kind of access: constant, integer and dynamic keys,
-- upvalues, _ENV fields, results of calls, varargs, library fields.
local function try(f) print(select(2, pcall(f))) end
local t = {}
local up = {}
local i = 3
local key = "dyn"
try(function() t[i]() end)
try(function() t[key]() end)
try(function() t[1]() end)
try(function() t["str"]() end)
try(function() t[1.5]() end)
try(function() t[true]() end)
try(function() up.a.b() end)
try(function() (function() end)()() end)
try(function() local f = function() end; f()() end)
try(function() _ENV.nothing() end)
try(function() local e = _ENV; e.nothing() end)
try(function() return t[i].x end)
try(function() return t[key].x end)
try(function() return up[i] + 1 end)
try(function() return t.a + t.b end)
try(function() return 1 + t.b end)
try(function() return i + t end)
try(function() return key .. t end)
try(function() return -t.x end)
try(function() return #t.x end)
try(function() local a, b = 1; return a + b end)
try(function(...) local a = ...; return a.x end)
try(function() return ("abc").x.y end)
try(function() return math.pi.x end)
try(function() return (1).x end)
try(function() t.x.y = 1 end)
try(function() t[i][i] = 1 end)
try(function() up.q = up.r.s end)
