-- Syntax error: an expression cannot start with '='. Nothing runs.
print("never printed")
x = = 1
