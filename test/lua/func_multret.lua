-- Multiple results and their adjustment in every position: assignment,
-- arguments, table constructors, return, parentheses, string concat.
local function none() end
local function one() return 1 end
local function two() return 1, 2 end
local function three() return 1, 2, 3 end
local a, b, c, d = three()
print(a, b, c, d)
a, b, c = two(), 10
print(a, b, c)
a, b, c = 10, two()
print(a, b, c)
a, b = none()
print(a, b)
print(three(), three())
print((three()))
print(two() .. "x")
print(({three()})[3], #{three(), two()}, #{none()}, #{none(), none()})
local function ret_call() return three() end
print(ret_call())
local function ret_paren() return (three()) end
print(ret_paren())
local function ret_mixed() return two(), two() end
print(ret_mixed())
local t = {}
t.x, t.y = two()
print(t.x, t.y)
print(math.max(three()), string.format("%d %d %d", three()))
print(select("#", none()), select("#", (none())))
local s = 0
for _, v in ipairs({three()}) do s = s + v end
print(s)
print(one(), none(), one())
local function id(...) return ... end
print(id(id(id(1, 2, 3))))
