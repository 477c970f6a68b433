-- Syntax error: goto to a label that is not visible.
do
  goto finish
end
do ::finish:: end
