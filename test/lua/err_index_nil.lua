-- Indexing a nil local.
local t = nil
print(t.field)
