-- bench-small: 2000
-- bench-large: 480000
-- String building: concatenation in a loop, table.concat of formatted
-- pieces, string.rep, sub/byte scanning, gsub and upper. Checksum: total
-- length and a byte sum over the built strings.
local n = tonumber(arg and arg[1]) or 120000
local checksum, total = 0, 0
local function bytesum(s)
  local sum = 0
  for i = 1, #s, 7 do sum = sum + s:byte(i) end
  return sum
end
for round = 1, 4 do
  local parts = {}
  for i = 1, n do
    parts[#parts + 1] = string.format("%d:%s;", i * round, (i % 3 == 0) and "fizz" or "x")
  end
  local joined = table.concat(parts)
  total = total + #joined
  checksum = checksum + bytesum(joined)
  local s = ""
  for i = 1, n / 20 do s = s .. tostring(i % 10) .. "," end
  total = total + #s
  local replaced, count = joined:gsub("fizz", "BUZZ!")
  total = total + #replaced + count
  checksum = (checksum + bytesum(replaced:upper())) % 1000000007
  local line = string.rep("ab", 50, "-")
  for i = 1, n / 10 do
    local piece = line:sub(i % 50 + 1, i % 50 + 20)
    checksum = (checksum + #piece + piece:byte(1)) % 1000000007
  end
  local words = 0
  for _ in joined:gmatch("%d+") do words = words + 1 end
  total = total + words
end
print(string.format("%d %d", total, checksum))
