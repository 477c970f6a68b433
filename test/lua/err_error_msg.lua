-- error("msg") uncaught: position prefix, exit status 1.
local function check(v)
  if not v then error("check failed") end
end
print("checking")
check(false)
