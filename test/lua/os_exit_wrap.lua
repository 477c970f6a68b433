-- The exit status is taken modulo 256 by the system: os.exit(258) gives 2.
print("exiting")
os.exit(258, true)
