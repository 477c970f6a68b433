-- This file has CRLF line endings; line numbers must still count one per
-- line (also for lone CR and LF-CR pairs inside load below).
local s = [[
first
second]]
print(#s, s:byte(1, -1))
print(pcall(error, "at line 7"))
print(select(2, pcall(function() error("line 8") end)))
print(select(2, load("x = 1\r\ny = 2\r\nerror(\"three\")", "=crlf"))) 
print(pcall(load("x = 1\r\ny = 2\r\nerror(\"three\")", "=crlf")))
print(pcall(load("\r\r\rerror(\"four\")", "=cr")))
print(pcall(load("\n\r\n\rerror(\"three lf-cr\")", "=lfcr")))
print(pcall(load("return [[\r\n\n\r]]", "=ls")))
print(#load("return [[\r\n\n\r]]")(), #load("return \"a\\\r\nb\"")())
error("uncaught at line 15")
