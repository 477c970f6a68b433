-- error() with no value (nil) uncaught.
print("raising nil")
error()
