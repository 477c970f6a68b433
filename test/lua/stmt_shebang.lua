#!/usr/bin/env lua5.4
-- A first line starting with "#" is skipped by the standalone interpreter;
-- line numbers still count it.
print("after the shebang line")
print(pcall(error, "line check", 1))
local ok, e = pcall(function() error("here") end)
print(e)
print(select(2, loadfile("stmt_shebang.lua")) == nil)
