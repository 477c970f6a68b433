-- Hot loops whose operand types change part-way (integer, float, numeric
-- string, integer overflow wrap-around, nan) and whose operations start
-- failing mid-loop: written to exercise guards and deoptimisation in a
-- tracing JIT as well as the interpreter's arithmetic fast paths.
local vals = {}
for i = 1, 300 do
  if i <= 100 then vals[i] = i
  elseif i <= 150 then vals[i] = i + 0.5
  elseif i <= 200 then vals[i] = tostring(i)
  elseif i <= 250 then vals[i] = math.maxinteger - i
  else vals[i] = (i % 2 == 0) and i or i * 1.0 end
end
local acc, facc, cnt = 0, 0.0, 0
for i = 1, #vals do
  local v = vals[i]
  acc = acc + v * 2
  facc = facc + v / 4
  if v + 0 > 120 then cnt = cnt + 1 end
end
print(acc, facc, cnt, math.type(acc))
local wrap = math.maxinteger - 500
for i = 1, 1000 do wrap = wrap + 1 end
print(wrap, wrap < 0)
local s = 0
for i = 1, 400 do
  local d = (i < 300) and 3 or 0
  local ok, q = pcall(function() return i // d end)
  s = s + (ok and q or -1)
end
print(s)
local fs = 0
for i = 1, 400 do
  local d = (i < 300) and 3.0 or 0.0
  local q = i // d
  if q ~= q then fs = fs + 1000 elseif q == math.huge then fs = fs + 1 else fs = fs + q end
end
print(fs)
local parts = {}
for i = 1, 200 do
  local v = (i % 3 == 0) and i or (i % 3 == 1) and i + 0.25 or ("s" .. i)
  parts[#parts + 1] = v .. ""
end
print(#table.concat(parts, ","), parts[1], parts[2], parts[3])
local cmp = 0
for i = 1, 300 do
  local a = (i % 2 == 0) and i or i + 0.5
  local b = (i % 5 == 0) and 150 or 150.0
  if a < b then cmp = cmp + 1 end
  if a == b then cmp = cmp + 100 end
end
print(cmp)
local bits = 0
for i = 1, 300 do
  local v = (i < 200) and i or (i + 0.0)
  bits = bits ~ (v << (i % 7)) | (v & 0xFF)
end
print(bits)
local errs = 0
for i = 1, 300 do
  local v = (i < 250) and i or (i + 0.5)
  if not pcall(function() return v | 0 end) then errs = errs + 1 end
end
print(errs)
local nanc = 0
for i = 1, 200 do
  local x = (i == 100) and (0 / 0) or i
  if x ~= x then nanc = nanc + 1 end
  if x < 150 then nanc = nanc + 0 end
end
print(nanc)
