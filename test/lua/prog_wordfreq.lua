-- Word frequencies of a text: gmatch, lower, table counting, sorting by
-- count then word, and formatted output.
local text = [[
It was the best of times, it was the worst of times, it was the age of
wisdom, it was the age of foolishness, it was the epoch of belief, it was
the epoch of incredulity, it was the season of Light, it was the season of
Darkness, it was the spring of hope, it was the winter of despair.
]]
local counts, order = {}, {}
for w in text:gmatch("%a+") do
  w = w:lower()
  if not counts[w] then counts[w] = 0; order[#order + 1] = w end
  counts[w] = counts[w] + 1
end
table.sort(order, function(a, b)
  if counts[a] ~= counts[b] then return counts[a] > counts[b] end
  return a < b
end)
for i = 1, 8 do print(string.format("%-12s %3d %s", order[i], counts[order[i]], string.rep("*", counts[order[i]]))) end
print("distinct", #order)
local lens = {}
for _, w in ipairs(order) do lens[#w] = (lens[#w] or 0) + 1 end
for l = 1, 12 do if lens[l] then io.write(l, ":", lens[l], " ") end end
print()
local caps = {}
for w in text:gmatch("%u%l*") do caps[#caps + 1] = w end
print(table.concat(caps, ","))
