-- Indexing through a missing intermediate field: the message names it.
local a = {b = {}}
print(a.b.c)
print(a.b.c.d)
