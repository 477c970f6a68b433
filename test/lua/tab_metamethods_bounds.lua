-- The table library goes through __index/__newindex/__len (insert, remove,
-- concat, unpack, sort, move, ipairs); integer/float boundary literals and
-- comparisons; float keys normalised to integers.
local log = {}
local store = {10, 20, 30}
local proxy = setmetatable({}, {
  __index = function(_, k) log[#log + 1] = "get" .. tostring(k); return store[k] end,
  __newindex = function(_, k, v) log[#log + 1] = "set" .. tostring(k); store[k] = v end,
  __len = function() return #store end,
})
table.insert(proxy, 40)
table.insert(proxy, 1, 5)
print(table.concat(store, ","), table.concat(log, " "))
log = {}
print(table.remove(proxy, 2), table.concat(store, ","), table.concat(log, " "))
log = {}
print(table.concat(proxy, "-"), table.unpack(proxy))
log = {}
table.sort(proxy, function(a, b) return a > b end)
print(table.concat(store, ","))
print(table.move(proxy, 1, 2, 3)[3])
print(table.concat(store, ","))
for i, v in ipairs(proxy) do io.write(i, "=", v, " ") end print()
print(#proxy, rawlen(proxy))
print(9223372036854775807, 9223372036854775808, -9223372036854775809, 18446744073709551615)
print(0xffffffffffffffffff, 1e309, -1e309, 123456789012345678901234567890)
print("0x7fffffffffffffff" + 0, "9223372036854775808" + 0, "1e1" * 1, " 0x10 " * 1)
print(math.maxinteger + 0.0 == math.maxinteger, math.maxinteger + 0.0 > math.maxinteger, 2^63 > math.maxinteger)
print(-2^63 == math.mininteger, -2^63 < math.mininteger, math.mininteger + 0.0 == math.mininteger)
print(1 < 1.0000000000000002, 9007199254740993 < 9007199254740992.0, 9007199254740993 > 2^53)
for _, p in ipairs({{1, 1.5}, {2^53, 2^53 + 1}, {math.maxinteger, 2^63}, {-1, -0.5}}) do
  io.write(tostring(p[1] < p[2]), tostring(p[1] <= p[2]), tostring(p[1] == p[2]), " ")
end
print()
local keys = {}
local t = {}
t[2^53] = "a"; t[2^53 + 0.0] = "b"; t[-0.0] = "z"; t[0] = "zero"; t[1e100] = "big"
for k, v in pairs(t) do keys[#keys + 1] = string.format("%s:%s:%s", math.type(k), tostring(k), v) end
table.sort(keys)
print(table.concat(keys, " "))
