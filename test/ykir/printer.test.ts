// Printer: IR built with the builder prints as valid LLVM (llvm-as accepts it),
// unnamed values are numbered in LLVM's order, and inserting instructions
// renumbers what follows.
import { describe, it, expect } from "vitest";
import { execa } from "execa";
import { Module } from "../../src/ykir/module.js";
import { IRBuilder, addFunction, addBlock, addGlobal, constInt } from "../../src/ykir/builder.js";
import { printModule, printInstruction } from "../../src/ykir/printer.js";
import { parseModule } from "../../src/llvm-import/parser.js";
import { i1, i32, i64, ptr, functionType, arrayType, i8 } from "../../src/ykir/types.js";
import { ConstantString, ConstantFP } from "../../src/ykir/constants.js";
import { floatType } from "../../src/ykir/types.js";
import { LLVM_BIN } from "../../src/llvm-import/driver.js";

function buildSum(): { m: Module; text: () => string } {
  const m = new Module();
  m.triple = "x86_64-pc-linux-gnu";
  const msg = addGlobal(m, "msg", arrayType(3, i8), new ConstantString(arrayType(3, i8), "ok\0"), { linkage: "private", constant: true });
  const puts = addFunction(m, "puts", functionType(i32, [ptr]));
  const f = addFunction(m, "sum", functionType(i64, [i64]), { argNames: [null] });
  const entry = addBlock(f), loop = addBlock(f), exit = addBlock(f, "exit");
  const b = new IRBuilder();
  b.atEnd(entry).br(loop);
  b.atEnd(loop);
  const i = b.phi(i64, []);
  const acc = b.phi(i64, []);
  const acc2 = b.add(acc, i, ["nsw"]);
  const i2 = b.add(i, constInt(i64, 1), ["nuw"]);
  const done = b.icmp("eq", i2, f.args[0]!);
  b.condBr(done, exit, loop);
  i.operands.push(constInt(i64, 0), i2); i.blocks.push(entry, loop);
  acc.operands.push(constInt(i64, 0), acc2); acc.blocks.push(entry, loop);
  b.atEnd(exit);
  b.call(puts, [msg]);
  b.ret(acc2);
  return { m, text: () => printModule(m) };
}

describe("printer", () => {
  it("numbers unnamed arguments, blocks and results in order", () => {
    const { text } = buildSum();
    expect(text()).toContain(`define i64 @sum(i64 %0) {
  br label %2

2:
  %3 = phi i64 [ 0, %1 ], [ %6, %2 ]
  %4 = phi i64 [ 0, %1 ], [ %5, %2 ]
  %5 = add nsw i64 %4, %3
  %6 = add nuw i64 %3, 1
  %7 = icmp eq i64 %6, %0
  br i1 %7, label %exit, label %2

exit:
  %8 = call i32 @puts(ptr @msg)
  ret i64 %5
}`);
    expect(text()).toContain(`@msg = private constant [3 x i8] c"ok\\00"`);
  });

  it("renumbers after an insertion and llvm-as accepts the result", async () => {
    const { m, text } = buildSum();
    const loop = m.getFunction("sum")!.blocks[1]!;
    const add = loop.instructions[2]!;
    const b = new IRBuilder().beforeInst(add);
    const dbl = b.mul(add.operands[1]!, constInt(i64, 2));
    add.operands[1] = dbl;
    expect(printInstruction(dbl, m)).toBe("%5 = mul i64 %3, 2");
    expect(printInstruction(add, m)).toBe("%6 = add nsw i64 %4, %5");
    const r = await execa(`${LLVM_BIN}/llvm-as`, ["-", "-o", "/dev/null"], { input: text(), reject: false });
    expect(r.stderr).toBe("");
    expect(r.exitCode).toBe(0);
  });

  it("prints what it parses, for constants of every kind", () => {
    const src = `@a = global { i1, i8, i128, float, double, ptr, [2 x i16], <2 x i32> } { i1 true, i8 -1, i128 -5, float 0x3FF8000000000000, double 2.500000e+00, ptr null, [2 x i16] [i16 1, i16 -2], <2 x i32> <i32 0, i32 poison> }
@b = global ptr getelementptr inbounds (i8, ptr @a, i64 4)
@c = global i64 ptrtoint (ptr @b to i64)
`;
    expect(printModule(parseModule(src))).toBe(src + "\n");
  });

  it("prints float constants made from numbers exactly", () => {
    expect(printInstruction(new IRBuilder().atEnd(addBlock(addFunction(new Module(), "f", functionType(i32, [])))).fcmp("olt",
      ConstantFP.of(floatType("double"), 0.1), ConstantFP.of(floatType("float"), 1.5)))).toBe(
      "%1 = fcmp olt double 0x3FB999999999999A, 0x3FF8000000000000");
    expect(i1.toString()).toBe("i1");
    expect(i32.toString()).toBe("i32");
  });
});

describe("printer names", () => {
  it("keeps names unique when built IR repeats one", () => {
    const m = new Module();
    const f = addFunction(m, "f", functionType(i32, [i32]), { argNames: ["x"] });
    const b = new IRBuilder().atEnd(addBlock(f, "x"));
    const a1 = b.add(f.args[0]!, constInt(i32, 1), [], "x");
    const a2 = b.add(a1, a1, [], "x");
    b.ret(a2);
    expect(printModule(m)).toContain(`define i32 @f(i32 %x) {
x.1:
  %x.2 = add i32 %x, 1
  %x.3 = add i32 %x.2, %x.2
  ret i32 %x.3
}`);
  });
});
