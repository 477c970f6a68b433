-- Helper module: counts how often it is executed (require caches it).
loaded_times = (loaded_times or 0) + 1
return {count = loaded_times}
