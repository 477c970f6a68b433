-- Integer division and modulo by zero raise errors; float ones do not.
print(pcall(function() return 1 // 0 end))
print(pcall(function() return 1 % 0 end))
print(pcall(function() local z = 0; return 10 // z end))
print(pcall(function() local z = 0; return -10 % z end))
print(1 // 0.0, -1 // 0.0, 1 % 0.0 ~= 1 % 0.0, 1.0 // 0, 1 / 0, 0.0 / 1)
print(pcall(function() return "4" // "0" end))
print(pcall(function() return math.fmod(1, 0) end))
print(math.fmod(1, 0.0) ~= math.fmod(1, 0.0))
