-- Lexical forms of strings: long strings and comments, all escape sequences
-- including \x, \u{...}, \z and decimal escapes.
print("tab\tnew\\nline", 'single "quotes"', "double 'quotes'")
print("\65\066\0671", "\x41\x62\x7A", "\u{48}\u{49}", #"\u{7FF}", #"\u{FFFF}", #"\u{10FFFF}", #"\u{7FFFFFFF}")
print("a\z
       b", "c\
d")
print("\a\b\f\v\r" == "\7\8\12\11\13", "\"\'\\")
print(#"\0abc", ("\0x"):byte(1, 2))
local long = [[
first line
second ]] .. [==[with ]] inside]==]
print(long)
print([[]], [==[]==], #[[

x]])
--[[ long
comment ]] print("after long comment")
--[==[ another
]] still comment
]==] print("after level-2 comment")
-- print("line comment")
print(#[[\n]], [[\t]])
print("\u{E9}" == "\xC3\xA9", "\u{20AC}" == "\226\130\172")
local s = "x\
y"
print(#s, s:byte(2))
print('\104\101\108\108\111')
print(0xA, 0Xa, 1e2, 1E-2, 3., .3, 0x.1, 0x1P-1)
