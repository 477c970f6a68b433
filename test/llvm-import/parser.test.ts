// Parser: the object graph it builds (forward references, blockaddress,
// constants, attributes, TBAA, debug records) and its error messages.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { parseModule, IRUnsupportedError } from "../../src/llvm-import/parser.js";
import { IRSyntaxError } from "../../src/llvm-import/lexer.js";
import { printModule } from "../../src/ykir/printer.js";
import { ConstantInt, ConstantFP, BlockAddress, ConstantExpr, ConstantString } from "../../src/ykir/constants.js";
import { MetadataOperand } from "../../src/ykir/value.js";
import { allFnAttrs, memoryEffects } from "../../src/ykir/attributes.js";
import { i32, intType } from "../../src/ykir/types.js";

const HAND = new URL("../fixtures/ll/handwritten.ll", import.meta.url);

describe("parser", () => {
  it("resolves forward references of values and blocks to the defining objects", () => {
    const m = parseModule(`
define i32 @f(i1 %c) {
entry:
  br i1 %c, label %a, label %b
a:
  br label %b
b:
  %p = phi i32 [ %x, %a ], [ 0, %entry ]
  %x = add i32 %p, 1
  ret i32 %x
}`);
    const f = m.getFunction("f")!;
    const [entry, a, b] = f.blocks;
    const phi = b!.instructions[0]!, add = b!.instructions[1]!;
    expect(entry!.instructions[0]!.blocks).toEqual([a, b]);
    expect(phi.operands[0]).toBe(add);
    expect(phi.blocks).toEqual([a, entry]);
    expect(add.operands[0]).toBe(phi);
    expect(add.parent).toBe(b);
  });

  it("resolves calls and globals to one object whatever the order", () => {
    const m = parseModule(`@p = global ptr @g\ndefine void @f() {\n  call void @g()\n  ret void\n}\ndeclare void @g()`);
    const g = m.getFunction("g")!;
    expect(m.getGlobal("p")!.initializer).toBe(g);
    expect(m.getFunction("f")!.blocks[0]!.instructions[0]!.callee).toBe(g);
    expect(g.isDeclaration).toBe(true);
  });

  it("reads the hand-written fixture: constants, blockaddress, attributes, TBAA, metadata operands", () => {
    const m = parseModule(readFileSync(HAND, "latin1"), { file: "handwritten.ll" });
    const big = m.getGlobal("big")!.initializer as ConstantInt;
    expect(big.type).toBe(intType(128));
    expect(big.signed).toBe(-(2n ** 127n));
    expect((m.getGlobal("wide")!.initializer as ConstantInt).value).toBe(2n ** 256n - 1n);
    const str = m.globals.find((g) => g.name === null)!.initializer as ConstantString;
    expect(str.data).toBe('hi\n\0"\\');
    const ba = m.getGlobal("ba")!.initializer as BlockAddress;
    const flags = m.getFunction("flags")!;
    expect(ba.fn).toBe(flags);
    expect(ba.block).toBe(flags.blocks.find((b) => b.name === "target"));
    const inr = m.getGlobal("inr")!.initializer as ConstantExpr;
    expect(inr.opcode).toBe("getelementptr");
    expect(inr.inrange).toEqual([-8n, 16n]);
    expect(inr.flags).toEqual(["inbounds"]);
    const callee = m.getFunction("callee")!;
    const attrs = allFnAttrs(callee);
    expect(memoryEffects(attrs)).toEqual({ default: "read" });
    expect(attrs.find((a) => a.str && a.kind === "annotate")!.value).toBe('hot"path');
    const weak = m.getFunction("weakfn")!;
    expect(memoryEffects(weak.fnAttrs)).toEqual({ default: "none", argmem: "read", inaccessiblemem: "readwrite" });
    expect(weak.args[1]!.attrs[0]!.type).toBe(m.getNamedType("struct.node"));
    // TBAA: the load's tag resolves to int → omnipotent char → root
    const load = flags.blocks[0]!.instructions.find((i) => i.opcode === "load" && i.getMD("tbaa"))!;
    const tag = load.getMD("tbaa")!.tbaa!;
    expect(tag.access.name).toBe("int");
    expect(tag.access.fields[0]!.type.name).toBe("omnipotent char");
    expect(tag.access.fields[0]!.type.fields[0]!.type.isRoot).toBe(true);
    // metadata operands wrap local values
    const dbgCall = flags.blocks[0]!.instructions.find((i) => i.opcode === "call" && (i.callee as { name?: string }).name === "llvm.dbg.value")!;
    expect((dbgCall.operands[0] as MetadataOperand).value).toBe(flags.args[0]);
    expect((dbgCall.operands[2] as MetadataOperand).text).toBe("!DIExpression()");
    const fl = m.getGlobal("floats")!.initializer as unknown as { elems: ConstantFP[] };
    expect(fl.elems.map((e) => e.value)).toEqual([1, undefined, 1.5, NaN, undefined, undefined]);
  });

  it("keeps #dbg records with the instruction that follows them", () => {
    const m = parseModule(`
define i32 @f(i32 %a) !dbg !3 {
    #dbg_value(i32 %a, !4, !DIExpression(), !5)
  %b = add i32 %a, 1, !dbg !5
    #dbg_value(!DIArgList(i32 %a, i32 %b), !4, !DIExpression(DW_OP_LLVM_arg, 0), !5)
  ret i32 %b
}
!3 = distinct !{}
!4 = !{}
!5 = !{}`);
    const [add, ret] = m.getFunction("f")!.blocks[0]!.instructions;
    expect(add!.dbg![0]!.kind).toBe("value");
    expect((add!.dbg![0]!.args[0] as MetadataOperand).value).toBe(m.getFunction("f")!.args[0]);
    expect((ret!.dbg![0]!.args[0] as MetadataOperand).args![1]).toBe(add);
    expect(printModule(m)).toContain("#dbg_value(!DIArgList(i32 %a, i32 %b), !4, !DIExpression(DW_OP_LLVM_arg, 0), !5)");
  });

  it("gives numbered values and blocks their own numbering, not names", () => {
    const m = parseModule(`define i32 @f(i32 %0) {\n  %2 = add i32 %0, 1\n  br label %3\n3:\n  ret i32 %2\n}`);
    const f = m.getFunction("f")!;
    expect(f.args[0]!.name).toBeNull();
    expect(f.blocks.map((b) => b.name)).toEqual([null, null]);
    expect(f.blocks[0]!.instructions[0]!.operands[1]).toEqual(new ConstantInt(i32, 1n));
  });

  it("names file, line, column and the offending token in syntax errors", () => {
    const bad = `define i32 @f() {\n  %x = add i32 1, ret\n}`;
    expect(() => parseModule(bad, { file: "bad.ll" })).toThrow(IRSyntaxError);
    expect(() => parseModule(bad, { file: "bad.ll" })).toThrow("bad.ll:2:19: expected a constant of type i32, found 'ret'");
    expect(() => parseModule(`define void @f() {\n  br label %nowhere\n}`, { file: "b.ll" })).toThrow(/b\.ll:1:\d+: @f: block %nowhere is used but not defined/);
    expect(() => parseModule(`define i32 @f() {\n  ret i32 %v\n}`, { file: "c.ll" })).toThrow("c.ll:2:11: @f: value %v is used but never defined");
    expect(() => parseModule(`@g = global i32 0\n@g = global i32 1`, { file: "d.ll" })).toThrow("d.ll:2:1: @g is defined twice");
    expect(() => parseModule(`declare void @f()\ndefine void @f() {\n  ret void\n}`, { file: "e.ll" })).toThrow("e.ll:2:13: function @f defined twice");
  });

  it("names unsupported constructs", () => {
    expect(() => parseModule(`define void @f() {\n  %cs = catchswitch within none [label %a] unwind to caller\na:\n  ret void\n}`, { file: "u.ll" }))
      .toThrow(IRUnsupportedError);
    expect(() => parseModule(`define void @f() {\n  %cs = catchswitch within none [label %a] unwind to caller\na:\n  ret void\n}`, { file: "u.ll" }))
      .toThrow("u.ll:2:9: unsupported construct: instruction 'catchswitch'");
    expect(() => parseModule(`@x = global i32* null`, { file: "u.ll" })).toThrow("u.ll:1:16: unsupported construct: typed pointer");
  });
});
