-- Seeded math.random: lua5.4's xoshiro256** sequence for a fixed seed, the
-- ranges of each call form, and argument errors.
math.randomseed(42)
local out = {}
for i = 1, 5 do out[#out + 1] = math.random(1, 100) end
print(table.concat(out, " "))
out = {}
for i = 1, 5 do out[#out + 1] = math.random(10) end
print(table.concat(out, " "))
for i = 1, 3 do print(string.format("%.10f", math.random())) end
print(math.random(0), math.random(math.mininteger, math.maxinteger))
math.randomseed(42)
print(math.random(1, 100))
math.randomseed(7, 3)
print(math.random(1000), math.random(-5, 5), math.random(3, 3))
local inrange = true
math.randomseed(1)
for i = 1, 10000 do local r = math.random(5, 9) if r < 5 or r > 9 then inrange = false end end
print("in range", inrange)
print(pcall(math.random, 2, 1))
print(pcall(math.random, 0.5))
print(pcall(math.random, 1, 2, 3))
math.randomseed(123)
local f = math.random()
print(f >= 0 and f < 1, math.type(math.random(5)), math.type(math.random()))
