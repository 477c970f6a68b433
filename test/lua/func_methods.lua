-- Method definitions and calls with ':', self, functions stored in nested
-- tables, and calls with string and table literal arguments.
local Account = {}
Account.__index = Account
function Account.new(b) return setmetatable({balance = b}, Account) end
function Account:deposit(v) self.balance = self.balance + v; return self end
function Account:get() return self.balance end
local acc = Account.new(100)
print(acc:deposit(50):deposit(25):get())
print(Account.get(acc))
local a = {b = {c = {}}}
function a.b.c.f(x) return x * 2 end
function a.b.c:g(x) return self == a.b.c, x end
print(a.b.c.f(21), a.b.c:g(5))
local function show(t) return type(t) == "table" and t[1] or t end
print(show"literal", show{"table literal"}, show[[long]])
local s = "hello"
print(s:upper(), ("x"):rep(3), #s:sub(2))
local o = {name = "o"}
function o.say(self, msg) return self.name .. ": " .. msg end
print(o:say("hi"), o.say(o, "there"))
