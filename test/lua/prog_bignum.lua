-- Arbitrary-precision arithmetic on arrays of base-10^7 limbs: factorials,
-- powers of two and a digit sum, exercising integer // and % heavily.
local BASE, WIDTH = 10000000, 7
local function from_int(n)
  local r = {}
  repeat r[#r + 1] = n % BASE; n = n // BASE until n == 0
  return r
end
local function mul_small(a, m)
  local r, carry = {}, 0
  for i = 1, #a do
    local v = a[i] * m + carry
    r[i] = v % BASE
    carry = v // BASE
  end
  while carry > 0 do r[#r + 1] = carry % BASE; carry = carry // BASE end
  return r
end
local function add(a, b)
  local r, carry = {}, 0
  for i = 1, math.max(#a, #b) do
    local v = (a[i] or 0) + (b[i] or 0) + carry
    r[i] = v % BASE
    carry = v // BASE
  end
  if carry > 0 then r[#r + 1] = carry end
  return r
end
local function tostr(a)
  local parts = {tostring(a[#a])}
  for i = #a - 1, 1, -1 do parts[#parts + 1] = string.format("%0" .. WIDTH .. "d", a[i]) end
  return table.concat(parts)
end
local f = from_int(1)
for i = 2, 100 do f = mul_small(f, i) end
local s = tostr(f)
print(#s, s:sub(1, 20), s:sub(-30))
local digits = 0
for d in s:gmatch("%d") do digits = digits + tonumber(d) end
print("digit sum", digits)
local p = from_int(1)
for _ = 1, 200 do p = mul_small(p, 2) end
print(tostr(p))
local fa, fb = from_int(0), from_int(1)
for _ = 1, 300 do fa, fb = fb, add(fa, fb) end
print(tostr(fa))
