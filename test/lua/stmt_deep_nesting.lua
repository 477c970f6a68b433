-- Nesting that stays within lua5.4's parser limits: 150 nested parentheses
-- and table constructors, 100 nested blocks, a 150-operand concatenation
-- and 200 locals, all compiled through load.
print(load("return " .. string.rep("(", 150) .. "42" .. string.rep(")", 150))())
print(#load("return " .. string.rep("{", 150) .. string.rep("}", 150))())
print(load(string.rep("do ", 100) .. "x = 7 " .. string.rep("end ", 100) .. "return x")())
local parts = {}
for i = 1, 150 do parts[i] = "'" .. i % 10 .. "'" end
print(#load("return " .. table.concat(parts, ".."))())
local locs = {}
for i = 1, 200 do locs[i] = "local v" .. i .. " = " .. i end
print(load(table.concat(locs, "\n") .. "\nreturn v1 + v200")())
local toomany = {}
for i = 1, 201 do toomany[i] = "local w" .. i end
print(load(table.concat(toomany, "\n")))
local nest = "return 1"
for _ = 1, 50 do nest = "return (function() " .. nest .. " end)()" end
print(load(nest)())
