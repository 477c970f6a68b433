-- Indexing a nil upvalue.
local cfg
local function get() return cfg.name end
print(get())
