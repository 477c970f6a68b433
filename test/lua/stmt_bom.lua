-- This file starts with a UTF-8 byte order mark, which lua5.4 skips when
-- loading a file, in the standalone interpreter and in loadfile.
print("after the byte order mark")
local ok, e = pcall(function() error("line 4") end)
print(e)
print(type(loadfile("stmt_bom.lua")))
