-- Uncaught integer modulo by zero: message and exit status.
-- (The divisor comes from a call on the same line: lua5.4.4 reports the line
-- of the last saved pc for this error, which is then this line.)
print("before")
print(7 % tonumber("0"))
