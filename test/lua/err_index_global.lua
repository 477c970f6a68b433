-- Assigning into a field of an undefined global.
settings.verbose = true
