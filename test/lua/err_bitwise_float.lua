-- A bitwise operation on a float without an integer value.
local f = 1.5
print(f | 0)
