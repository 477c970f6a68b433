-- collectgarbage: "count" and "collect" are accepted; only result types are
-- compared for them (values depend on the implementation); stop/restart/
-- isrunning, mode switches and invalid options are compared exactly.
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
print(collectgarbage("isrunning"))
collectgarbage("stop")
print(collectgarbage("isrunning"))
collectgarbage("restart")
print(collectgarbage("isrunning"))
print(collectgarbage("generational"), collectgarbage("incremental"), collectgarbage("incremental"))
print(pcall(collectgarbage, "bogus"))
print(pcall(collectgarbage, 42))
print(type(collectgarbage("count")), math.type(collectgarbage("count")))
print(select("#", collectgarbage("count")), select("#", collectgarbage()))
