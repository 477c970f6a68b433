-- Comparison operators across integer/float subtypes and strings,
-- including values that are not exactly representable.
print(1 < 2, 1 < 1.5, 1.5 < 2, 2 <= 2.0, 2.0 >= 2)
print(math.maxinteger < 2^63, math.maxinteger + 0.0 == 2^63, math.maxinteger == 2^63)
print(math.mininteger == -2^63, math.mininteger < -2^63, math.mininteger <= -2^63)
print(2^53 == 2^53 + 1, (2^53 | 0) + 1 == 2^53, (2^53 | 0) + 1 > 2^53)
print(1/0 > math.maxinteger, -1/0 < math.mininteger)
local nan = 0/0
print(nan == nan, nan ~= nan, nan < 1, nan > 1, nan <= nan, 1 < nan)
print("a" < "b", "abc" < "abd", "Z" < "a", "" < "a", "a" < "aa", "10" < "9")
print("a\0b" < "a\0c", "a\0" > "a")
print(1 == "1", {} == {}, "x" ~= "x")
local t = {}
print(t == t, print == print)
print(pcall(function() return 1 < "2" end))
print(pcall(function() return {} < {} end))
print(pcall(function() return "a" < 1 end))
print(3 ~= 3.0, -0.0 == 0, 1e300 * 1e10 == 1/0)
print(math.ult(1, -1), math.ult(-1, 1), math.ult(5, 7))
print(not nil, not false, not 0, not "", nil == false)
print(1 and 2, nil and 1, false or "x", nil or false, false and nil)
