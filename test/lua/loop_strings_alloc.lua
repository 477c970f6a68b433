-- Hot loops that build strings and allocate tables and closures on every
-- iteration (with collections happening inside the loops), then check the
-- contents: allocation and GC inside traces under a tracing JIT.
local parts = {}
for i = 1, 3000 do
  local s = "k" .. i .. ":" .. (i % 7)
  parts[#parts + 1] = s:sub(2, -3) .. s:byte(1)
end
print(#parts, parts[1], parts[3000], #table.concat(parts))
local objs = {}
for i = 1, 5000 do
  local o = {id = i, tag = "t" .. (i % 10), f = function(self) return self.id * 2 end}
  objs[i % 500 + 1] = o
  if i % 1000 == 0 then collectgarbage() end
end
local s = 0
for i = 1, 500 do s = s + objs[i]:f() + #objs[i].tag end
print(s)
local acc = ""
for i = 1, 500 do
  acc = acc .. string.char(65 + i % 26)
  if #acc > 100 then acc = acc:sub(-50) end
end
print(#acc, acc:sub(1, 10))
local counts = {}
for i = 1, 4000 do
  local key = string.format("%02d", i % 37)
  counts[key] = (counts[key] or 0) + 1
end
local keys = {}
for k in pairs(counts) do keys[#keys + 1] = k end
table.sort(keys)
print(#keys, keys[1], counts[keys[1]], keys[#keys], counts[keys[#keys]])
local up = {}
for i = 1, 2000 do
  local v = {i}
  up[i % 100 + 1] = function() v[1] = v[1] + 1; return v[1] end
end
local t = 0
for i = 1, 100 do t = t + up[i]() end
print(t)
local words = {}
for w in ("alpha beta gamma delta epsilon "):rep(200):gmatch("%a+") do
  words[#words + 1] = w:upper():sub(1, 3)
end
print(#words, words[1], words[#words])
