-- collectgarbage: the types of its results (values depend on the
-- implementation and are not compared).
print(math.type(collectgarbage("count")) or type(collectgarbage("count")))
print(collectgarbage("collect"), collectgarbage())
print(type(collectgarbage("step")), type(collectgarbage("isrunning")))
local t = {}
for i = 1, 10000 do t[i] = {i} end
t = nil
collectgarbage()
print(collectgarbage("count") > 0)
