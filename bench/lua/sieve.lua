-- bench-small: 20000
-- bench-large: 4000000
-- Sieve of Eratosthenes over a boolean array, repeated. Checksum: the
-- number of primes below n and the sum of the last repetition's primes.
local n = tonumber(arg and arg[1]) or 1000000
local reps = 10
local count, sum = 0, 0
for _ = 1, reps do
  local composite = {}
  for i = 1, n do composite[i] = false end
  count, sum = 0, 0
  for i = 2, n do
    if not composite[i] then
      count = count + 1
      sum = sum + i
      for j = i * i, n, i do composite[j] = true end
    end
  end
end
print(string.format("%d %d", count, sum))
