-- Bitwise operators: results, shifts past 64 bits, negative shifts,
-- float-to-integer conversion and strings as operands.
print(5 & 3, 5 | 3, 5 ~ 3, ~5, ~0, 1 << 4, 256 >> 4)
print(-1 >> 1, -1 >> 63, -1 << 63, 1 << 64, 1 << 63, 1 >> -1, 2 << -1)
print(-1 >> 64, 1 << -64, 3 >> 0)
print(3.0 & 1, 2^53 | 0, pcall(function() return "12" & "10" end))
print(0xF0 ~ 0xFF, 0xFF & ~0xF, math.mininteger >> 63)
print(1 | 2 ~ 3 & 4, 1 << 2 + 1, 5 & 3 == 1)
print(pcall(function() return 1.5 | 0 end))
print(pcall(function() return "1.5" | 0 end))
print(pcall(function() return 2^64 | 0 end))
print(pcall(function() return {} & 1 end))
print(pcall(function() return "abc" ~ 1 end))
print(pcall(function() return math.huge >> 1 end))
