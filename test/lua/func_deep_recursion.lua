-- Non-tail recursion up to 190000 frames fits lua5.4's stack (1000000
-- slots); frames with more registers overflow sooner; overflow is a
-- catchable "stack overflow" error.
local function d(n) if n == 0 then return 0 end return 1 + d(n - 1) end
for _, n in ipairs({1000, 50000, 100000, 150000, 190000}) do print(n, pcall(d, n)) end
local function e(n, a, b, c, d2, e2, f) if n == 0 then return a end local x, y, z = a + 1, b, c return e(n - 1, x, y, z, d2, e2, f) + 0 end
print(pcall(e, 100000, 1, 2, 3, 4, 5, 6))
local ok, msg = pcall(d, 1e7)
print(ok, msg)
