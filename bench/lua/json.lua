-- bench-small: 300
-- bench-large: 24000
-- JSON: a generated document (objects, arrays, strings with escapes,
-- numbers, booleans, null) is parsed by a small recursive-descent parser
-- into tables, then walked. Checksum: counts and a sum over the values.
local n = tonumber(arg and arg[1]) or 6000
local function generate(count)
  local items = {}
  for i = 1, count do
    items[i] = string.format(
      '{"id": %d, "name": "item\\"%d\\"", "price": %d.%02d, "tags": ["a", "b\\n", "c%d"], ' ..
      '"active": %s, "parent": null, "dims": {"w": %d, "h": %d}}',
      i, i, i % 100, i % 97, i % 5, (i % 2 == 0) and "true" or "false", i % 13, i % 17)
  end
  return "[" .. table.concat(items, ",\n ") .. "]"
end

local byte, sub, find = string.byte, string.sub, string.find
local parse_value
local function skip(s, i)
  local _, e = find(s, "^[ \t\r\n]*", i)
  return e + 1
end
local escapes = {[110] = "\n", [116] = "\t", [114] = "\r", [98] = "\b", [102] = "\f", [34] = '"', [92] = "\\", [47] = "/"}
local function parse_string(s, i)
  local parts, start = {}, i + 1
  local j = start
  while true do
    local c = byte(s, j)
    if c == 34 then
      parts[#parts + 1] = sub(s, start, j - 1)
      return table.concat(parts), j + 1
    elseif c == 92 then
      parts[#parts + 1] = sub(s, start, j - 1)
      parts[#parts + 1] = escapes[byte(s, j + 1)] or error("bad escape at " .. j)
      j = j + 2
      start = j
    elseif c == nil then
      error("unterminated string")
    else
      j = j + 1
    end
  end
end
local function parse_number(s, i)
  local _, e = find(s, "^-?%d+%.?%d*[eE]?[-+]?%d*", i)
  return tonumber(sub(s, i, e)), e + 1
end
local function parse_array(s, i)
  local arr = {}
  i = skip(s, i + 1)
  if byte(s, i) == 93 then return arr, i + 1 end
  while true do
    local v
    v, i = parse_value(s, i)
    arr[#arr + 1] = v
    i = skip(s, i)
    local c = byte(s, i)
    if c == 93 then return arr, i + 1 end
    if c ~= 44 then error("expected , or ] at " .. i) end
    i = skip(s, i + 1)
  end
end
local function parse_object(s, i)
  local obj = {}
  i = skip(s, i + 1)
  if byte(s, i) == 125 then return obj, i + 1 end
  while true do
    local k, v
    k, i = parse_string(s, i)
    i = skip(s, i)
    if byte(s, i) ~= 58 then error("expected : at " .. i) end
    v, i = parse_value(s, skip(s, i + 1))
    obj[k] = v
    i = skip(s, i)
    local c = byte(s, i)
    if c == 125 then return obj, i + 1 end
    if c ~= 44 then error("expected , or } at " .. i) end
    i = skip(s, i + 1)
  end
end
local NULL = {}
function parse_value(s, i)
  local c = byte(s, i)
  if c == 123 then return parse_object(s, i)
  elseif c == 91 then return parse_array(s, i)
  elseif c == 34 then return parse_string(s, i)
  elseif c == 116 then return true, i + 4
  elseif c == 102 then return false, i + 5
  elseif c == 110 then return NULL, i + 4
  else return parse_number(s, i) end
end

local doc = generate(n)
local objects, active, chars, total = 0, 0, 0, 0
for _ = 1, 4 do
  local data = parse_value(doc, skip(doc, 1))
  for _, item in ipairs(data) do
    objects = objects + 1
    if item.active then active = active + 1 end
    chars = chars + #item.name
    for _, t in ipairs(item.tags) do chars = chars + #t end
    total = total + item.id + item.dims.w * item.dims.h + math.floor(item.price * 100 + 0.5)
    if item.parent ~= NULL then error("parent should be null") end
  end
end
print(string.format("%d %d %d %d %d", #doc, objects, active, chars, total))
