-- string.format edge cases: %q of nan, huge and tiny floats, control and
-- high bytes; %s of special values; integer conversions at the limits;
-- %c of NUL; precision and flags on integers; zero in every float form.
print(string.format("%q", 0/0), string.format("%q", -(0/0)), string.format("%q", 1e100), string.format("%q", -1e-300), string.format("%q", 2^53))
print(string.format("%q", "\r\n\t\v\f\a\b\\\"'\0\0001\0019\255\200"))
print(string.format("%q", "é日本"))
print(string.format("%s %s", 1e100, -0.0), string.format("%.3s", 1/3), string.format("%5s|%-5s|", true, nil))
print(string.format("%x %X %o", math.mininteger, math.maxinteger, -1))
print(string.format("%c%c", 0, 255):byte(1, -1))
print(pcall(string.format, "%d", 2^63), pcall(string.format, "%x", -0.0))
print(string.format("%.3d|%3.1d|%-+6.2d|", -5, 0, 7))
print(string.format("%#.3x|%#o|%#X", 255, 0, 0))
print(string.format("%e", 0), string.format("%g", 0), string.format("%g", -0.0), string.format("%a", 0))
