-- Large generated chunks: hundreds of constants in arithmetic and
-- comparisons, more constants than an instruction argument can index
-- (140000), long if-chains, 200 locals in one statement, the register
-- limit of a call, 150 upvalues, and a 100000-byte string literal.
local parts = {"local t = {"}
for i = 1, 300 do parts[#parts + 1] = "'s" .. i .. "', " .. (i + 0.5) .. ", " end
parts[#parts + 1] = "}\nlocal s = 0\nfor i = 2, #t, 2 do s = s + t[i] end\nreturn #t, s, t[1], t[599]"
print(load(table.concat(parts))())
local expr = {"local x = 1 return x"}
for i = 1, 400 do expr[#expr + 1] = " + " .. (i * 1000 + 0.25) end
print(load(table.concat(expr))())
local cmp = {"local x = ... local n = 0 "}
for i = 1, 300 do cmp[#cmp + 1] = "if x == 'k" .. i .. "' then n = n + " .. i .. " end " end
cmp[#cmp + 1] = "return n"
local f = load(table.concat(cmp))
print(f("k1"), f("k299"), f("zz"))
local many = {"return {"}
for i = 1, 140000 do many[#many + 1] = "'c" .. i .. "'," end
many[#many + 1] = "}"
local big = load(table.concat(many))()
print(#big, big[1], big[70000], big[140000])
local kf = {"local t = {} "}
for i = 1, 70000 do kf[#kf + 1] = "t[" .. i .. "] = 'v" .. i .. "' " end
kf[#kf + 1] = "return t"
local tt = load(table.concat(kf))()
print(#tt, tt[1], tt[65536], tt[70000])
local regs = {"local a1"}
for i = 2, 200 do regs[#regs + 1] = ", a" .. i end
regs[#regs + 1] = " = 1 return a1"
print(type(load(table.concat(regs))))
local r2 = {"return f("}
for i = 1, 300 do r2[#r2 + 1] = (i > 1 and "," or "") .. i end
r2[#r2 + 1] = ")"
print(load(table.concat(r2)))
local ups = {}
for i = 1, 256 do ups[#ups + 1] = "local u" .. i .. " = " .. i end
local body = {}
for i = 1, 256 do body[#body + 1] = "u" .. i end
local src = "local function outer() " .. table.concat(ups, " ", 1, 150) .. " return function() return " .. table.concat(body, "+", 1, 150) .. " end end return outer()()"
print(load(src)())
local longstr = string.rep("a", 100000)
print(#load("return '" .. longstr .. "'")())
