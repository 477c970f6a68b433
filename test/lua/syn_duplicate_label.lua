-- Syntax error: a label defined twice in the same block.
::again::
print(1)
::again::
