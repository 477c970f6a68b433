-- An uncaught error with a number value is printed as that number.
error(42.5)
