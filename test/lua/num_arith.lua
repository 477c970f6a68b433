-- Arithmetic operators on integers and floats: result subtypes, floor
-- division and modulo sign rules, exponentiation, overflow wrap-around.
print(7 + 2, 7 - 2, 7 * 2, 7 / 2, 7 // 2, 7 % 2, 7 ^ 2)
print(-7 // 2, -7 % 2, 7 // -2, 7 % -2, -7 // -2, -7 % -2)
print(3 % -2, -3 % 2, -3 // 2, 3 // -2)
print(7.5 // 2, -7.5 // 2, 7.5 % 2, -7.5 % 2, 7.5 % -2, -5.5 % 2, 5.5 % -2)
print(3.0 // 0, -3.0 // 0, 5 // 0.0, -5 // 0.0, 0.0 // 0.0 ~= 0.0 // 0.0)
print(5 % math.huge, -5 % math.huge, 5 % -math.huge, -5 % -math.huge)
print(5.0 % 0 ~= 5.0 % 0)
print(math.maxinteger + 1 == math.mininteger, math.maxinteger + 1)
print(math.mininteger - 1, math.maxinteger * 2, math.mininteger * -1)
print(math.mininteger // -1, math.mininteger % -1)
print(2^2, 2^0.5, (-8)^(1/3) ~= (-8)^(1/3), 10^-2)
print(-2^2, 2^3^2, -(2)^2)
print(1 + 2 * 3 - 4 / 2, (1 + 2) * 3, 2 * 3 % 4, 2 ^ -1)
print(1e308 + 1e308, -1e308 - 1e308)
print(0.1 + 0.2, 0.1 + 0.2 == 0.3, 1 - 0.9)
print(100000000000000 * 100000, 2^63 == math.maxinteger + 1.0)
print(- -3, -(-3.5), - math.mininteger)
local x = 10
x = x + 1; x = x * 2; x = x // 3; x = x % 5
print(x)
print(1 // 1, 1.0 // 1, 1 % 1.0, 0 % 5, -0.0 % 5)
print(6 / 3, math.type(6 / 3), math.type(6 // 3), math.type(6.0 // 3))
