-- Calling through a field of a string value that is not a method.
local s = "text"
s.nothing()
