-- os.time normalises the fields of its table argument in place (and sets
-- wday/yday/isdst), rejects out-of-range fields; os.date at and beyond
-- the representable range (TZ=UTC from ENV).
local t = {year = 2021, month = 13, day = 32, hour = 25, min = 61, sec = 61}
print(os.time(t))
print(t.year, t.month, t.day, t.hour, t.min, t.sec, t.wday, t.yday, t.isdst)
local t2 = {year = 2020, month = 2, day = 29, hour = 12, isdst = true}
print(os.time(t2), t2.isdst)
print(pcall(os.time, {year = 2020, month = 1, day = 1, hour = 2^40}))
print(pcall(os.time, {year = 1e20, month = 1, day = 1}))
print(os.time({year = 1900, month = 1, day = 1, hour = 0}))
print(os.date("!%Y-%m-%d", -86400 * 365 * 100))
print(pcall(os.date, "!%Y", 2^60))
print(os.date("!%Y-%m-%dT%H:%M:%S", 253402300799))
print(os.date("!*t", 1e9).yday, os.date("*t", 0).isdst)
