-- load with reader functions: tokens split across pieces, an empty piece
-- ending the chunk, numbers as pieces, readers that raise errors, long
-- strings and comments across pieces.
local function reader(pieces) local i = 0 return function() i = i + 1 return pieces[i] end end
print(load(reader({"ret", "urn 1", "2", "3 + 0", ".5"}))())
print(type(load(reader({"", "return 1"}))), load(reader({"", "return 1"}))())
print(load(reader({"return 'a", "b'"}))())
print(load(reader({"return [[x", "]]..[[", "y]]"}))())
print(load(reader({"return 1", 2}))())
print(pcall(load, function() error("reader failed") end))
print(load(reader({"return 1 +"})))
print(load(reader({"local x = 1", "\n", "return x"}))())
print(load(reader({"--comment", "\n", "return 42"}))())
local n = 0
print(type(load(function() n = n + 1 if n <= 3 then return "x = " .. n .. " " end end)))
print(x)
