-- error("msg", 0) uncaught: no position prefix.
error("plain message without position", 0)
