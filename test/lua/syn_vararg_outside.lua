-- Compile error: '...' used inside a function that is not vararg.
local function f(a)
  return ...
end
