-- Arithmetic on a string that is not a number.
local s = "hello"
print(s + 1)
