-- A class hierarchy with inheritance, super calls, __tostring, __eq,
-- __lt-based sorting and class-level counters.
local function class(parent)
  local c = {}
  c.__index = c
  if parent then setmetatable(c, {__index = parent}) end
  c.new = function(...)
    local o = setmetatable({}, c)
    o:init(...)
    return o
  end
  return c
end
local Shape = class()
Shape.count = 0
function Shape:init(name) self.name = name; Shape.count = Shape.count + 1 end
function Shape:area() return 0 end
function Shape:describe() return string.format("%s with area %.2f", self.name, self:area()) end
Shape.__tostring = function(s) return "Shape(" .. s.name .. ")" end
Shape.__lt = function(a, b) return a:area() < b:area() end
Shape.__eq = function(a, b) return a:area() == b:area() end
local Rect = class(Shape)
function Rect:init(w, h) Shape.init(self, "rect"); self.w, self.h = w, h end
function Rect:area() return self.w * self.h end
Rect.__tostring = Shape.__tostring
Rect.__lt = Shape.__lt
Rect.__eq = Shape.__eq
local Square = class(Rect)
function Square:init(s) Rect.init(self, s, s); self.name = "square" end
Square.__tostring = function(s) return "Square[" .. s.w .. "]" end
Square.__lt = Shape.__lt
Square.__eq = Shape.__eq
local Circle = class(Shape)
function Circle:init(r) Shape.init(self, "circle"); self.r = r end
function Circle:area() return math.pi * self.r ^ 2 end
Circle.__lt = Shape.__lt
local shapes = {Rect.new(3, 4), Square.new(2), Circle.new(1), Rect.new(1, 1), Square.new(5)}
for _, s in ipairs(shapes) do print(s:describe()) end
print(tostring(shapes[1]), tostring(shapes[2]))
table.sort(shapes, function(a, b) return a:area() < b:area() end)
for _, s in ipairs(shapes) do io.write(s.name, " ") end print()
print(Shape.count, Rect.new(2, 2) == Square.new(2), Rect.new(2, 3) == Square.new(2))
print(getmetatable(Square.new(1)) == Square, Square.area == Rect.area, rawget(Square, "area"))
