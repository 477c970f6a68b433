-- dofile and require of .lua modules under modules/ (cwd is test/lua):
-- package.path lookup, module caching in package.loaded, values passed to
-- the module, errors for missing modules and in dofile'd code.
package.path = "./modules/?.lua;" .. package.path
local m = require("mathutil")
print(m.square(7), m.name)
local m2 = require("mathutil")
print(m == m2, package.loaded.mathutil == m)
print(require("counter_mod").count, require("counter_mod").count)
print(dofile("modules/plain.lua"))
print(dofile("modules/plain.lua"))
print(pcall(dofile, "modules/does_not_exist.lua"))
local ok, err = pcall(require, "no_such_module_anywhere")
print(ok, (err:match("^module 'no_such_module_anywhere' not found")))
print(pcall(dofile, "modules/raises.lua"))
package.loaded.fake = "preloaded value"
print(require("fake"))
package.preload.virtual = function(name, extra) return "virtual:" .. name end
print(require("virtual"))
print(type(package.path), type(package.loaded), type(package.preload), package.loaded._G == _G)
print(package.loaded.string == string, select("#", require("mathutil")))
