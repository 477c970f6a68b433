-- _G with metatables (a strict-globals pattern), functions defined into a
-- local _ENV, load with environments that have __index, and _ENV captured
-- as an upvalue by nested functions.
local declared = {print = true}
setmetatable(_G, {
  __newindex = function(t, k, v) if not declared[k] then declared[k] = true end rawset(t, k, v) end,
  __index = function(_, k) error("undeclared global '" .. tostring(k) .. "'", 2) end,
})
x = 1
print(x, rawget(_G, "x"))
print(pcall(function() return undeclared_thing end))
setmetatable(_G, nil)
print(undeclared_thing)
local function mk()
  local _ENV = {tostring = tostring}
  function g() return "g in custom env" end
  return _ENV
end
local e = mk()
print(e.g(), g)
local env = setmetatable({}, {__index = {b = 10}})
print(pcall(load("return a + b", "=chunk", "t", env)))
local env2 = {b = 1}
print(load("a = 2; return a + b", "c", "t", env2)(), env2.a, a)
local counter = 0
local tracked = setmetatable({}, {__index = function(_, k) counter = counter + 1; return _G[k] end})
local h = load("local s = 0 for i = 1, 10 do s = s + math.floor(i / 2) end return s", "h", "t", tracked)
print(h(), counter)
local function outer()
  local _ENV = {v = "outer env"}
  return function() return v end
end
print(outer()())
local _ENV = {print = print, _G = _G}
newvar = "in local _ENV"
print(newvar, _G.newvar)
