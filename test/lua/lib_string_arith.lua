-- Strings in arithmetic: the string metatable's __add ... __unm convert
-- numerals (integer/float kept), fall back to the other operand's
-- metamethod, and fail with "attempt to add a 'string' with ...".
local function show(...)
  local r = table.pack(...)
  for i = 1, r.n do r[i] = tostring(r[i]) end
  print(table.concat(r, " ", 1, r.n))
end
local function e(f, ...) show(pcall(f, ...)) end
print("10"+1, "3.0"*2, -"2", "0x10"+0, "1e1"//1, " 5 "+0, "7"%"-3", 7.5%"-2", "2"^2, "7"/"2", "-7"//"2", "-7.5"//"2", math.type("10"+0))
print("9223372036854775807"+1, -"-9223372036854775808", "5"%"-0.0", "-6"%"4")
e(function() return "4"//0 end) e(function() return "4"%"0" end) e(function() return "a"+1 end)
e(function() return {}+"1" end) e(function() return "1"+{} end) e(function() return -"x" end)
local mt = {__add = function(a, b) return "mt" end} local t = setmetatable({}, mt)
print("1" + t, t + "1")
e(function() return "1" .. 2 end)
print(math.deg(math.pi), math.rad(180), math.pow(2, 10), math.frexp(8), math.ldexp(0.5, 4), math.log10(1000), math.cosh(0), math.atan2(1, 1))
