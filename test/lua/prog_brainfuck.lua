-- A Brainfuck interpreter in Lua (bracket matching precomputed, byte
-- tape in a table) running a program that prints text and one that
-- computes squares: an interpreter loop inside the interpreter.
local function run(src, input)
  local code, jump, stack = {}, {}, {}
  for c in src:gmatch("[%+%-<>%.,%[%]]") do code[#code + 1] = c end
  for pc, c in ipairs(code) do
    if c == "[" then stack[#stack + 1] = pc
    elseif c == "]" then
      local open = table.remove(stack)
      if not open then error("unmatched ] at " .. pc) end
      jump[open], jump[pc] = pc, open
    end
  end
  if #stack > 0 then error("unmatched [ at " .. stack[#stack]) end
  local tape, ptr, pc, out, inpos, steps = {}, 1, 1, {}, 1, 0
  while pc <= #code do
    local c = code[pc]
    steps = steps + 1
    if c == "+" then tape[ptr] = ((tape[ptr] or 0) + 1) % 256
    elseif c == "-" then tape[ptr] = ((tape[ptr] or 0) - 1) % 256
    elseif c == ">" then ptr = ptr + 1
    elseif c == "<" then ptr = ptr - 1
    elseif c == "." then out[#out + 1] = string.char(tape[ptr] or 0)
    elseif c == "," then tape[ptr] = input:byte(inpos) or 0; inpos = inpos + 1
    elseif c == "[" then if (tape[ptr] or 0) == 0 then pc = jump[pc] end
    elseif c == "]" then if (tape[ptr] or 0) ~= 0 then pc = jump[pc] end
    end
    pc = pc + 1
  end
  return table.concat(out), steps
end
local hello = "++++++++[>++++[>++>+++>+++>+<<<<-]>+>+>->>+[<]<-]>>.>---.+++++++..+++.>>.<-.<.+++.------.--------.>>+.>++."
print(run(hello, ""))
print(run(",[.,]", "echo this"))
local add = ",>,[<+>-]<------------------------------------------------."
print(run(add, "34"))
print(pcall(run, "[[]", ""))
print(pcall(run, "]", ""))
local squares = {}
for n = 1, 12 do
  local src = string.rep("+", n) .. "[>" .. string.rep("+", n) .. "<-]>"
  local _, steps = run(src, "")
  squares[#squares + 1] = steps
end
print(table.concat(squares, " "))
