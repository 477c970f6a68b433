-- Table constructors: positional, keyed, computed keys, trailing varargs
-- and calls, separators, nested tables and the length operator.
local function three() return 1, 2, 3 end
local t = {three()}
print(#t, t[3])
t = {three(), three()}
print(#t, t[1], t[2], t[4])
t = {(three())}
print(#t)
t = {x = 1, ["y z"] = 2, [10] = 3, 4; 5, [1 + 1] = "ignored?"}
print(t.x, t["y z"], t[10], t[1], t[2])
t = {[1] = "a", "b"}
print(t[1])
local function va(...) return {...}, select("#", ...) end
local v, n = va(1, nil, 3, nil)
print(n, v[1], v[3])
t = {{1, 2}, {3, {4, 5}}}
print(t[2][2][1], #t[2])
t = {f = function(self) return self.x end, x = 9}
print(t:f())
print(#{1, 2, 3, nil}, #{n = 1}, #"", #{})
t = {}
for i = 1, 100 do t[i] = i end
print(#t, t[100])
t = {1, 2, 3}
t[#t + 1] = 4
print(#t)
t[#t] = nil
print(#t)
local keys = {}
for k in pairs({a = 1, b = 2, c = 3, 1, 2}) do keys[#keys + 1] = tostring(k) end
table.sort(keys)
print(table.concat(keys, " "))
