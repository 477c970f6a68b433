-- Syntax and compile error messages returned by load (nil, message) for
-- many malformed chunks; chunk names in messages come from the source.
local chunks = {
  "return 1e", "return 0x", "return 08 + 1", "return 1..2", "x = 'a' 'b'",
  "return function() return ... end", "for i = 1 do end", "local x <const> = 1; x = 2",
  "goto x", "::a:: ::a::", 'return "\\400"', 'return "\\u{110000000}"', "return '\\xZZ'",
  "x = }", "f(", "local function end", "if x then else elseif end", "return 1 + + 2",
  "a.b:c = 1", "--[[ unfinished", "x = [==[ abc ]=]", ("x = 1 "):rep(10) .. "y",
  "local t = {1, 2,, 3}", "return not", "x = 1 = 2", "function f(a,) end", "local 1 = 2",
  "return 'a\nb'", "break", "repeat until", "while true do", "return return",
  "local a <close> , b <close> = 1", "x = 3 ... 4", "return {[1] 2}", "f() = 1",
  "local function f() goto out end ::out::", "for a, b in pairs(t) end",
  "return 0x1p", "x = 1 + 'unclosed", "return @", "return #",
}
for i, src in ipairs(chunks) do
  local f, err = load(src)
  print(i, f and "compiled" or err)
end
print(load("return 'ok'", "=custom name")())
print(select(2, load("error", "=custom name")))
print(select(2, load("\n\n\nerror(", "@some/file.lua")))
print(select(2, load(("x"):rep(100) .. " +")))
print(select(2, load("x = \n\n'a")))
