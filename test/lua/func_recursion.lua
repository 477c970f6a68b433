-- Recursion: fib, ackermann, mutual recursion with local functions, and
-- recursion depth of a non-tail call.
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print(fib(20))
local function ack(m, n)
  if m == 0 then return n + 1 end
  if n == 0 then return ack(m - 1, 1) end
  return ack(m - 1, ack(m, n - 1))
end
print(ack(2, 3), ack(3, 3))
local function hanoi(n, from, to, via, moves)
  if n == 0 then return moves end
  moves = hanoi(n - 1, from, via, to, moves)
  moves = moves + 1
  return hanoi(n - 1, via, to, from, moves)
end
print(hanoi(10, "a", "c", "b", 0))
local function perm(a, n, out)
  n = n or #a
  if n <= 1 then out[#out + 1] = table.concat(a) return end
  for i = 1, n do
    a[n], a[i] = a[i], a[n]
    perm(a, n - 1, out)
    a[n], a[i] = a[i], a[n]
  end
end
local out = {}
perm({"a", "b", "c"}, nil, out)
print(#out, table.concat(out, " "))
local function depth(n) if n == 0 then return 0 end return depth(n - 1) + 1 end
print(depth(50000))
