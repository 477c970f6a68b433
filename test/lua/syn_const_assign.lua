-- Compile error: assignment to a <const> local.
local limit <const> = 10
limit = 11
