-- Calling an undefined global function.
print("calling")
undefined_function(1, 2)
