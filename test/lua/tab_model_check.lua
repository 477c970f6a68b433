-- Table operations checked against a model: 20000 pseudo-random sets,
-- deletes and gets over keys of every kind (integers, floats equal to
-- integers, long and short strings, booleans, limits), array holes,
-- growth, and clearing fields during traversal.
local state = 7
local function rand(m) state = (state * 1103515245 + 12345) % 2147483648; return (state // 65536) % m + 1 end
local longkey = string.rep("k", 45)
local keypool = {1, 2, 3, 0, -1, 100, 2^31, 2^53, 1.5, -0.5, 2.0, 3.0, "a", "b", "1", "2", "", longkey, longkey .. "x", true, false, math.maxinteger, math.mininteger, 1e300}
local t = {}
local ref = {}  -- association list: reference model with rawequal-normalised keys
local function norm(k) if math.type(k) == "float" and k == math.floor(k) and k >= -2^63 and k < 2^63 then return math.tointeger(k) end return k end
local function rfind(k) k = norm(k) for i = 1, #ref do if ref[i][1] == k and math.type(ref[i][1]) == math.type(k) then return i end end end
local mismatches = 0
for step = 1, 20000 do
  local k = keypool[rand(#keypool)]
  local op = rand(4)
  if op <= 2 then
    local v = rand(1000)
    t[k] = v
    local i = rfind(k)
    if i then ref[i][2] = v else ref[#ref + 1] = {norm(k), v} end
  elseif op == 3 then
    t[k] = nil
    local i = rfind(k)
    if i then table.remove(ref, i) end
  else
    local i = rfind(k)
    local expect = i and ref[i][2] or nil
    if t[k] ~= expect then mismatches = mismatches + 1 end
  end
  if step % 1000 == 0 then
    local n = 0
    for _ in pairs(t) do n = n + 1 end
    if n ~= #ref then mismatches = mismatches + 1000 end
    for j = 1, 200 do t[-j - 1000] = j end
    for j = 1, 200 do t[-j - 1000] = nil end
  end
end
print("mismatches", mismatches, "final size", #ref)
local arr = {}
for i = 1, 1000 do arr[i] = i end
for i = 1, 1000, 3 do arr[i] = nil end
local cnt, s = 0, 0
for k, v in pairs(arr) do cnt = cnt + 1; s = s + k * v end
print(cnt, s)
local grow = {}
for i = 1, 100 do grow[i * 2] = i; grow[i * 2 - 1] = -i end
print(#grow, grow[200], grow[199], grow[100.0], grow["100"])
local mixed = {}
for i = 1, 50 do mixed[i] = i; mixed["s" .. i] = i; mixed[i + 0.5] = i end
for i = 1, 50, 2 do mixed[i] = nil; mixed["s" .. i] = nil end
local c2 = 0
for k, v in pairs(mixed) do c2 = c2 + v end
print(c2, mixed[2], mixed["s2"], mixed[2.5], mixed[3])
local deltrav = {}
for i = 1, 100 do deltrav["x" .. i] = i end
local visited = 0
for k in pairs(deltrav) do deltrav[k] = nil; visited = visited + 1 end
print(visited, next(deltrav))
