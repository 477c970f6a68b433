-- Arithmetic on a nil field: the message names the field.
local config = {width = 10}
print(config.width * 2)
print(config.width * config.height)
