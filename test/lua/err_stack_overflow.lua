-- Unbounded non-tail recursion: a stack overflow error, not a crash.
local function down(n) return 1 + down(n + 1) end
print(pcall(down, 1) == false)
down(1)
