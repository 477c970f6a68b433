-- load: string chunks, chunk names, reader functions (pieces, nil end,
-- empty string end), custom environments, varargs of chunks, syntax errors
-- returned as nil + message, mode argument.
local f = load("return 1 + 2")
print(f())
print(load("local a, b = ...; return a * b")(6, 7))
print(load("syntax error here"))
print(type(load("return", "=mychunk")), load("return", "=mychunk")())
print(load("x = ", "@file.lua"))
print(type(load("error('in chunk')", "=named")))
print(pcall(load("error('in chunk')", "=named")))
print(pcall(load("error('in chunk')", "@src.lua")))
print(pcall(load("error('in chunk')")))
local pieces = {"return ", "'joined'", " .. ", "'!'"}
local i = 0
print(load(function() i = i + 1; return pieces[i] end)())
local j = 0
print(load(function() j = j + 1; if j == 1 then return "return 5" end return "" end)())
local env = {y = 10}
local g = load("y = y + 1; return y", "chunk", "t", env)
print(g(), env.y, y)
print(load("return _ENV")() == _G)
local h = load("return x", "c", "t", {x = "from env"})
print(h())
print(load(string.dump and "return 1" or "return 1", "c", "b"))
print(pcall(load, 42))
print(type(load(function() return nil end)))
print(load("return ...", "va")(1, 2, 3))
local bad_reader = function() return {} end
print(pcall(load, bad_reader))
print(load("\n\n  local x = = 1", "=lines"))
print(load("return 'unfinished", "=s"))
local code = "local t = {} for i = 1, 3 do t[i] = i * i end return table.concat(t, ',')"
print(load(code)())
