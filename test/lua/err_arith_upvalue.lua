-- Arithmetic on a nil upvalue: the message names the upvalue.
local total
local function add(n) return total + n end
add(1)
