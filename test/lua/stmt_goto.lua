-- goto and labels: continue-style loops, nested loop exit, backward jumps,
-- labels at block end, and closures capturing per-iteration locals.
for i = 1, 5 do
  if i % 2 == 0 then goto continue end
  io.write(i, " ")
  ::continue::
end
print()
for i = 1, 3 do
  for j = 1, 3 do
    if i * j == 4 then goto done end
    io.write(i, "x", j, " ")
  end
end
::done::
print()
local n = 0
::top::
n = n + 1
if n < 5 then goto top end
print("n", n)
local i = 1
while true do
  if i > 3 then goto out end
  i = i + 1
end
::out::
print("i", i)
local fs = {}
do
  local k = 1
  ::again::
  local j = k
  fs[#fs + 1] = function() return j end
  k = k + 1
  if k <= 3 then goto again end
end
print(fs[1](), fs[2](), fs[3]())
do
  goto skip
  print("not printed")
  ::skip::
end
repeat
  local r = 1
  goto cont
  ::cont::
until true
print("end")
