-- Compile error: an unknown local attribute.
local x <mutable> = 1
