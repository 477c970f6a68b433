-- A numeric for with a zero step, uncaught.
for i = 1, 10, 0 do print(i) end
