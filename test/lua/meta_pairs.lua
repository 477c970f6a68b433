-- __pairs controls pairs(); ipairs respects __index; next ignores both.
local hidden = {a = 1, b = 2}
local proxy = setmetatable({}, {__pairs = function(t)
  return function(_, k)
    local nk, nv = next(hidden, k)
    return nk, nv
  end, t, nil
end})
local keys = {}
for k, v in pairs(proxy) do keys[#keys + 1] = k .. "=" .. v end
table.sort(keys)
print(table.concat(keys, " "))
print(next(proxy))
local virtual = setmetatable({}, {__index = function(_, i) if i <= 3 then return i * 10 end end})
for i, v in ipairs(virtual) do io.write(i, ":", v, " ") end print()
local three = setmetatable({}, {__pairs = function() return function(_, k) if (k or 0) < 3 then return (k or 0) + 1, "v" end end, nil, nil end})
for k, v in pairs(three) do io.write(k, v, " ") end print()
