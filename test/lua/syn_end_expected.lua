-- Syntax error: a function body left open until the end of the file.
print("never printed")
local function f(a)
  if a then
    return 1
  end

