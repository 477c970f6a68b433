-- Helper chunk that raises an error when run.
error("raised from module")
