// llvm-import: LLVM 19 text → ykir (parser), and the clang driver that produces the text.
export { parseModule, IRUnsupportedError } from "./parser.js";
export { IRSyntaxError } from "./lexer.js";
export { compileCToIR, parseIRFile, LLVM_BIN } from "./driver.js";
