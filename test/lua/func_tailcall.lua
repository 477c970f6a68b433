-- Proper tail calls: a million-deep tail recursion, mutual tail recursion
-- and tail calls through varargs must not grow the stack.
local function loop(n, acc)
  if n == 0 then return acc end
  return loop(n - 1, acc + 1)
end
print(loop(1000000, 0))
local is_even, is_odd
function is_even(n) if n == 0 then return true end return is_odd(n - 1) end
function is_odd(n) if n == 0 then return false end return is_even(n - 1) end
print(is_even(1000001), is_odd(1000001))
local function va(n, ...)
  if n == 0 then return select("#", ...) end
  return va(n - 1, ...)
end
print(va(100000, 1, 2, 3))
local obj = {n = 0}
function obj:tick(k) if k == 0 then return self.n end self.n = self.n + 1 return self:tick(k - 1) end
print(obj:tick(300000))
local function deep(n) if n == 0 then return 0 end return 1 + deep(n - 1) end
print(deep(10000))
