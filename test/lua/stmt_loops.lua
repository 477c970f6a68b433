-- while, repeat (body locals visible in until), break in all loops, and
-- generic for with a stateless iterator, a closure iterator and pairs.
local i = 0
while i < 5 do i = i + 1 if i == 4 then break end end
print("while", i)
local n = 0
repeat
  local k = n * 2
  n = n + 1
until k >= 6
print("repeat", n)
repeat local stop = true until stop
for _, v in ipairs({10, 20, 30}) do if v == 20 then break end print(v) end
local function range(a, b)
  return function(_, c)
    if c < b then return c + 1 end
  end, nil, a - 1
end
for v in range(1, 4) do io.write(v, " ") end print()
local function counter(max)
  local c = 0
  return function() c = c + 1; if c <= max then return c, c * c end end
end
for a, b in counter(3) do io.write(a, ":", b, " ") end print()
local t = {5, 4, 3, nil, 1}
for k, v in ipairs(t) do io.write(k, "=", v, " ") end print()
local total = 0
for _ = 1, 3 do
  for _ = 1, 3 do
    total = total + 1
    if total % 2 == 0 then break end
  end
end
print("total", total)
local w = 3
while w > 0 do
  local inner = w
  w = w - 1
  if inner == 2 then goto next end
  io.write("w", inner, " ")
  ::next::
end
print()
for k, v in next, {7} do print(k, v) end
local closeval = setmetatable({}, {__close = function() end})
for x in function(_, c) if not c then return 1 end end, nil, nil, closeval do print("4th value", x) end
