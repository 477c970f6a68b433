-- Memoisation: a generic memoize over one argument, memoised fibonacci on
-- big arguments (integer wrap-around is deterministic), cache hit counting.
local function memoize(f)
  local cache, hits = {}, 0
  return function(n)
    local v = cache[n]
    if v ~= nil then hits = hits + 1; return v end
    v = f(n)
    cache[n] = v
    return v
  end, function() return hits end
end
local fib, fibhits
fib, fibhits = memoize(function(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end)
print(fib(50), fib(90), fib(100), fibhits())
local collatz
collatz = memoize(function(n)
  if n == 1 then return 0 end
  if n % 2 == 0 then return 1 + collatz(n // 2) end
  return 1 + collatz(3 * n + 1)
end)
local best, bestn = 0, 0
for i = 1, 30000 do local c = collatz(i) if c > best then best, bestn = c, i end end
print(bestn, best)
local function binom(n, k, memo)
  memo = memo or {}
  if k == 0 or k == n then return 1 end
  local key = n * 1000 + k
  if memo[key] then return memo[key] end
  local v = binom(n - 1, k - 1, memo) + binom(n - 1, k, memo)
  memo[key] = v
  return v
end
print(binom(60, 30), binom(20, 10), binom(66, 33))
