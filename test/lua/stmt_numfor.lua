-- Numeric for: integer and float loops, negative and float steps, loops at
-- the integer limits (5.4 never overflows), empty loops, zero step error.
for i = 1, 3 do io.write(i, " ") end print()
for i = 3, 1, -1 do io.write(i, " ") end print()
for i = 1, 2, 0.5 do io.write(i, " ") end print()
for i = 1.0, 3 do io.write(i, " ") end print()
for i = 1, 0 do print("never") end
for i = 0.1, 0.35, 0.1 do io.write(string.format("%.1f ", i)) end print()
for i = math.maxinteger - 2, math.maxinteger do io.write(i, " ") end print()
for i = math.mininteger, math.mininteger + 2 do io.write(i, " ") end print()
for i = math.mininteger + 2, math.mininteger, -1 do io.write(i, " ") end print()
for i = math.maxinteger - 1, math.maxinteger, 10 do io.write(i, " ") end print()
for i = 1, math.huge do if i > 3 then break end io.write(i, " ") end print()
for i = 1, 3.7 do io.write(i, " ") end print()
for i = 3, 1.5, -1 do io.write(i, " ") end print()
for i = -3, -1 do io.write(i, " ") end print()
local count = 0
for i = 1, 10, 3 do count = count + 1 end
print("count", count)
for i = 1, 3 do local j = i * 2; i = j; io.write(i, " ") end print()
for i = math.maxinteger, math.maxinteger - 1 do print("never") end
for i = 1, 0.5 do print("never") end
print(pcall(function() for i = 1, 10, 0 do end end))
print(pcall(function() for i = 1.0, 10, 0.0 do end end))
print(pcall(function() for i = "a", 2 do end end))
print(pcall(function() for i = 1, {} do end end))
print(pcall(function() for i = 1, 2, "x" do end end))
