-- A failed assert without a message.
local ok = assert(true)
assert(nil)
