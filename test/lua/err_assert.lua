-- A failed assert with a message: no position prefix.
assert(1 == 1, "fine")
assert(1 == 2, "one is not two")
