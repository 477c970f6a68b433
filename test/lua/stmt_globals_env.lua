-- Globals, _G and _ENV: globals live in _ENV, a local _ENV changes where
-- free names resolve, and _G is the original globals table.
x = 10
print(x, _G.x, _ENV.x, _G == _ENV)
_G.y = 20
print(y)
rawset(_G, "z", 30)
print(z)
local function with_env()
  local _ENV = {print = print, tostring = tostring}
  w = 5
  print(w, x)
  return _ENV
end
local e = with_env()
print(e.w, w)
do
  local _ENV = setmetatable({}, {__index = _G})
  newglobal = "in custom env"
  print(newglobal, _G.newglobal)
end
print(newglobal)
local function f(_ENV) return a + b end
print(f({a = 1, b = 2}))
print(_G._G == _G, type(_G), _VERSION)
local keys = {}
for k in pairs({x = 1, y = 2}) do keys[#keys + 1] = k end
table.sort(keys)
print(table.concat(keys, ","))
x = nil
print(x, rawget(_G, "x"))
