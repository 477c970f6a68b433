-- error with level 2 blames the caller's line.
local function validate(x)
  if type(x) ~= "number" then error("expected a number", 2) end
end
validate(1)
validate("not a number")
