-- Chunk names in error positions: "=" and "@" names at and past the
-- 60-byte limit, string sources truncated with "...", sources with
-- newlines, empty names.
local long = string.rep("abcdefghij", 10)
print(pcall(load("error('x')", "=" .. long)))
print(pcall(load("error('x')", "@" .. long .. ".lua")))
print(pcall(load("error('x')", long)))
print(pcall(load("error('x')", "line1\nline2")))
print(pcall(load("error('x')", "")))
print(pcall(load("error('x')", "=")))
print(pcall(load("error('x')", "@")))
print(pcall(load("\n\nerror('x')", string.rep("y", 44))))
print(pcall(load("\n\nerror('x')", string.rep("y", 45))))
print(pcall(load("\n\nerror('x')", string.rep("y", 46))))
print(pcall(load("error('x')", "=" .. string.rep("z", 59))))
print(pcall(load("error('x')", "=" .. string.rep("z", 60))))
print(pcall(load("error('x')", "@" .. string.rep("w", 59))))
print(pcall(load("error('x')", "@" .. string.rep("w", 60))))
