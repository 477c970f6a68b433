-- Syntax error: break outside a loop.
if true then
  break
end
