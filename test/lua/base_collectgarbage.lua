-- collectgarbage: "count" and "collect" are accepted; only result types are
-- compared (values depend on the implementation).
print(math.type(collectgarbage("count")) or type(collectgarbage("count")))
collectgarbage("collect")
collectgarbage()
print("collected")
print(type(collectgarbage("step")), type(collectgarbage("isrunning")))
local t = {}
for i = 1, 10000 do t[i] = {i} end
t = nil
collectgarbage()
print(collectgarbage("count") > 0)
