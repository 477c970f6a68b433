-- Concatenating an undefined global.
local greeting = "hello " .. username
