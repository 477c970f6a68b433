-- require's second result (the file the module came from), reloading after
-- clearing package.loaded, and package.searchpath with its "no file" list.
package.path = "./modules/?.lua"
print(require("plain"))
print(require("plain"))
package.loaded.plain = nil
print(select("#", require("plain")))
print(package.searchpath("mathutil", package.path))
print(package.searchpath("nope", "./modules/?.lua;./?.x"))
print(package.searchpath("a.b.c", "./?.lua"))
print(package.searchpath("a.b", "./?.lua", ".", "_"))
