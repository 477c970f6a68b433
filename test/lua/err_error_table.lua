-- error({}) uncaught: the standalone interpreter reports the object's type.
print("raising a table")
error({code = 1})
