-- __index/__newindex chains that loop or exceed lua5.4's limit of 2000
-- steps raise "chain too long"; a chain just under the limit works.
local t = {}
setmetatable(t, {__index = t})
print(pcall(function() return t.x end))
local u = {}
setmetatable(u, {__newindex = u})
print(pcall(function() u.x = 1 end))
local chain = {}
local last = {deep = "found"}
local cur = last
for i = 1, 1990 do cur = setmetatable({}, {__index = cur}) end
print(cur.deep)
for i = 1, 20 do cur = setmetatable({}, {__index = cur}) end
print(pcall(function() return cur.deep end))
local a, b = {}, {}
setmetatable(a, {__index = b}); setmetatable(b, {__index = a})
print(pcall(function() return a.zzz end))
