-- Garbage collection stress: allocates many short-lived tables, strings
-- and closures in a loop. Only a small amount is live at any time: lua5.4
-- peaks at about 4 MB, and at about 350 MB with the collector stopped.
-- test/minilua/corpus.test.ts bounds the peak RSS of this program.
local keep = {}
local checksum = 0
for i = 1, 700000 do
  local t = {i, i + 1, {i}}
  local s = "item" .. i
  local f = function() return t[1] + #s end
  checksum = (checksum + f()) % 1000000007
  if i % 50000 == 0 then keep[#keep + 1] = s end
end
print(checksum, #keep, keep[#keep])
local strs = {}
for round = 1, 20 do
  local acc = {}
  for j = 1, 5000 do acc[j] = string.rep("x", j % 50) .. round end
  strs[round % 3 + 1] = table.concat(acc)
end
print(#strs[1], #strs[2], #strs[3])
