-- bench-small: 20
-- bench-large: 38
-- Recursive fibonacci: call overhead and integer addition.
-- Checksum: fib(n).
local n = tonumber(arg and arg[1]) or 35
local function fib(k)
  if k < 2 then return k end
  return fib(k - 1) + fib(k - 2)
end
print(string.format("%d", fib(n)))
