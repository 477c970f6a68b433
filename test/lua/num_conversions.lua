-- Conversions between strings, integers and floats in arithmetic,
-- comparison and table keys; string coercion in arithmetic.
print("10" + 5, "10" * "2", "3.5" + 1, "0x10" + 0, " 7 " + 1)
print("10" // 3, "10.0" // 3, "2" ^ 3, -"3", -"3.0")
print(10 .. 20, 1.5 .. "", -0.0 .. "", 2^63 .. "")
print(math.type("10" + 0), math.type("10.0" + 0), math.type("1e2" + 0))
print(1 == 1.0, "1" == 1, 0.0 == -0.0)
print(3 | 0, 3.0 | 0, pcall(function() return "3" | 0 end))
print(math.tointeger(3.0), math.tointeger(3.5), math.tointeger("8"), math.tointeger(2^63))
print(string.format("%d", 3.0))
print(pcall(string.format, "%d", 3.5))
local t = {}
t[1.0] = "one"; t[2] = "two"; t[2^53] = "big"
print(t[1], t[2.0], t[2^53 | 0], #t)
t[-0.0] = "zero"
print(t[0], t[-0.0], t[0.0])
for k, v in pairs({[3.0] = "a"}) do print(k, math.type(k), v) end
print(tostring(1e15), tostring(1e14 + 0.5))
print(math.floor(3.7), math.ceil(3.2), math.floor(-3.7), math.ceil(-3.2))
print(math.type(math.floor(3.7)), math.type(math.floor(2^70)))
print(1e15 // 1, 2^53 // 1, 10 // 0.5)
print(0x7fffffffffffffff + 0.0, 9223372036854775807, 9223372036854775808)
print(-9223372036854775808, math.type(-9223372036854775808), math.type(9223372036854775808))
print(tonumber("9223372036854775807"), tonumber("9223372036854775808"))
print(8 // "2", "8" % 3, 2 ^ "2")
