-- os.exit with a status: output written before exit is flushed, nothing
-- after it runs, and the process exits with status 3.
io.write("before exit\n")
print("still buffered?")
os.exit(3)
print("never printed")
