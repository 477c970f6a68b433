-- A JSON-like serializer with sorted keys, string escaping and nested
-- structures, plus a breadth-first search over a small graph using a queue.
local function ser(v, indent)
  indent = indent or ""
  local t = type(v)
  if t == "table" then
    if #v > 0 or next(v) == nil then
      local parts = {}
      for i = 1, #v do parts[i] = ser(v[i], indent) end
      return "[" .. table.concat(parts, ",") .. "]"
    end
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = k end
    table.sort(keys)
    local parts = {}
    for _, k in ipairs(keys) do parts[#parts + 1] = string.format("%q:%s", k, ser(v[k], indent)) end
    return "{" .. table.concat(parts, ",") .. "}"
  elseif t == "string" then
    return '"' .. v:gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end) .. '"'
  else
    return tostring(v)
  end
end
print(ser({name = "test", list = {1, 2.5, "three", true}, nested = {a = {b = {}}}, s = 'q"\n'}))
local graph = {a = {"b", "c"}, b = {"d"}, c = {"d", "e"}, d = {"f"}, e = {"f"}, f = {}}
local function bfs(start, goal)
  local queue, first, last = {start}, 1, 1
  local prev = {[start] = false}
  while first <= last do
    local node = queue[first]; first = first + 1
    if node == goal then
      local path = {}
      while node do table.insert(path, 1, node); node = prev[node] end
      return table.concat(path, "->")
    end
    for _, nb in ipairs(graph[node]) do
      if prev[nb] == nil then prev[nb] = node; last = last + 1; queue[last] = nb end
    end
  end
end
print(bfs("a", "f"), bfs("c", "f"), bfs("f", "a"))
