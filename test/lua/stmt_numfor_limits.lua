-- Numeric for at the edges: infinite and nan limits and initial values,
-- float limits clipped for integer loops, steps of maxinteger and
-- mininteger, assignment to the control variable, float zero step.
for i = math.maxinteger - 1, math.huge do io.write(i, " ") end print()
for i = math.mininteger + 1, -math.huge, -1 do io.write(i, " ") end print()
for i = 1, -math.huge do io.write("never") end print("empty")
for i = 3, 2.5 do io.write("never") end print("empty2")
for i = 1, 2.9999999999999996 do io.write(i, " ") end print()
for i = -1, -3.5, -1 do io.write(i, " ") end print()
for i = 1, 0/0 do io.write("nan loop") end print("nan limit")
for i = 0/0, 1 do io.write("nan init") end print("nan init done")
for i = 1.0, 0/0 do io.write("x") end print("float nan")
for i = math.maxinteger, math.maxinteger + 1.0 do io.write(i, " ") end print()
for i = 1, 3, math.maxinteger do io.write(i, " ") end print()
for i = -1, -3, math.mininteger do io.write(i, " ") end print()
for i = math.mininteger, math.maxinteger, math.maxinteger do io.write(i, " ") end print()
local n = 0
for i = 1, 10 do n = n + i; i = 100 end print(n)
print(pcall(function() for i = 1, 10, 0.0 do end end))
