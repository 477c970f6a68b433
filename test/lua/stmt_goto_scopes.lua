-- goto rules of 5.4: continue labels at the end of loop bodies, a label at
-- the end of a repeat body, jumps into the scope of a local (rejected), and
-- backward gotos creating a fresh local per pass.
for i = 1, 3 do
  local x = i
  if x == 2 then goto continue end
  print(x)
  ::continue::
end
local i = 0
repeat
  i = i + 1
  if i == 2 then goto cont end
  io.write(i, " ")
  ::cont::
until i >= 4
print()
do
  goto e
  local z = 1
  ::e::
end
print(load("do goto e; local z = 1; ::e:: print(z) end"))
print(load("repeat goto c; local z = 1 ::c:: until z"))
local function f()
  do return 1 end
end
print(f())
while true do break end
for k = 1, 2 do
  for j = 1, 2 do
    if j == 2 then goto next_k end
    io.write(k, j, " ")
  end
  ::next_k::
end
print()
goto skip
do print("skipped") end
::skip::
do
  local fns = {}
  local k = 1
  ::top::
  local captured = k * 10
  fns[k] = function() return captured end
  k = k + 1
  if k <= 3 then goto top end
  print(fns[1](), fns[2](), fns[3]())
end
