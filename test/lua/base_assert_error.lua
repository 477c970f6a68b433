-- assert (values passed through, default and custom messages, non-string
-- messages), error with levels 0/1/2, non-string error values and pcall
-- results.
print(assert(1, "unused"), assert("v", 2, 3))
print(pcall(assert, false))
print(pcall(assert, nil, "custom message"))
print(pcall(assert, false, 42))
local e = {}
print(select(2, pcall(assert, false, e)) == e)
print(pcall(assert))
local function lvl1() error("at level 1") end
local function lvl2() error("at level 2", 2) end
local function lvl0() error("no position", 0) end
print(pcall(lvl1))
print(pcall(lvl2))
print(pcall(lvl0))
print(pcall(error))
print(pcall(error, nil))
print(pcall(error, 42))
print(pcall(error, 42.5, 1))
local obj = {code = 7}
local ok, err = pcall(error, obj)
print(ok, err == obj, err.code)
print(pcall(error, setmetatable({}, {__tostring = function() return "custom" end})))
local function caller() lvl2() end
print(pcall(caller))
print(pcall(function() error("msg", 3) end))
print(pcall(pcall))
print(pcall(pcall, error, "inner"))
print(select("#", pcall(function() return 1, 2, 3 end)))
print(pcall(function(...) return ... end, "a", "b"))
