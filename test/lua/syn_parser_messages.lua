-- Parser error messages for 67 malformed statements and expressions
-- (what was expected, near which token, what was left open), plus a few
-- odd forms that do compile.
local srcs = {
  "if x then", "if x end", "if then end", "for end", "for i do end", "for i = 1, 2, 3, 4 do end",
  "for a.b = 1, 2 do end", "for i in do end", "function end", "function f( end", "function f(a b) end",
  "function a.b:c.d() end", "local function a.b() end", "return 1 2", "return 1; x = 2",
  "x = {a = }", "x = {= 1}", "x = {[1]}", "x = f{}{}.y", "x = (1)(2)", "(1) = 2", "x.y.z", "x:y",
  "x:y.z()", "local x <const>", "local x <const> = 1, 2 x = 3", "do end end", "until x", "repeat x = 1",
  "while do end", "while true end", "else", "elseif x then", "::a", ":: a ::", "goto", "goto 5",
  "break break", "return return", "local", "local 'x'", "local x, = 1", "x, = 1", "x = 1,", "f(,)",
  "f(1,)", "t = {1,,2}", "t = {1;;2}", "a = not", "a = - - ", "a = # #", "s = 'a' .. ", "v = ...",
  "function f() return ... end", "local t <close> = 1 local u <close> = 2",
  "x = function", "x = function() ", "x = 1 < 2 < 3", "x = 'a' 'b'", "x = f 'a' 'b'",
  string.rep("(", 10) .. "1", "a = [=[x]]", "a = [[x]=]", "-- [[", "--[=[ ]]", "x = 0x", "x = 1.2.3",
}
for i, src in ipairs(srcs) do
  local f, err = load(src, "=src")
  print(i, f and "compiled" or err)
end
