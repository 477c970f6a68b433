-- Helper chunk for dofile: returns several values.
plain_runs = (plain_runs or 0) + 1
return "plain", plain_runs
