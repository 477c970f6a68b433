// SSA liveness (src/instrument/liveness.ts) on small functions whose live
// sets can be worked out by hand.
import { describe, expect, it } from "vitest";
import { parseModule } from "../../src/llvm-import/parser.js";
import { Liveness } from "../../src/instrument/liveness.js";
import type { Value } from "../../src/ykir/index.js";

const LOOP = `
define i32 @f(i32 %n, i32 %unused) {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i2, %body ]
  %acc = phi i32 [ 0, %entry ], [ %acc2, %body ]
  %c = icmp slt i32 %i, %n
  br i1 %c, label %body, label %exit
body:
  %acc2 = add i32 %acc, %i
  %i2 = add i32 %i, 1
  br label %loop
exit:
  ret i32 %acc
}
`;

const names = (vs: Value[]) => vs.map((v) => (v as { name: string | null }).name).sort();

describe("liveness", () => {
  const m = parseModule(LOOP, { file: "loop.ll" });
  const f = m.getFunction("f")!;
  const live = new Liveness(f);
  const block = (n: string) => f.blocks.find((b) => b.name === n)!;
  const inst = (n: string) => f.blocks.flatMap((b) => b.instructions).find((i) => i.name === n)!;

  it("a loop header's phis are not live into it; what the loop reads is", () => {
    expect(names(live.liveInOf(block("loop")))).toEqual(["n"]);
    expect(names(live.liveOutOf(block("loop")))).toEqual(["acc", "i", "n"]);
  });
  it("phi operands are live at the end of the incoming block only", () => {
    expect(names(live.liveOutOf(block("body")))).toEqual(["acc2", "i2", "n"]);
    expect(names(live.liveInOf(block("body")))).toEqual(["acc", "i", "n"]);
    expect(names(live.liveOutOf(block("entry")))).toEqual(["n"]);
  });
  it("an unused argument is never live", () => {
    for (const b of f.blocks) expect(names(live.liveInOf(b))).not.toContain("unused");
  });
  it("points inside a block: after an instruction excludes its result, before a terminator includes its operands", () => {
    expect(names(live.liveAfter(inst("c")))).toEqual(["acc", "i", "n"]);
    expect(names(live.liveBefore(block("loop").terminator!))).toEqual(["acc", "c", "i", "n"]);
    expect(names(live.liveAfter(inst("acc2")))).toEqual(["i", "n"]);
    expect(names(live.liveInOf(block("exit")))).toEqual(["acc"]);
  });
  it("reaches a fixed point with more than 31 values (bit sets compare as unsigned)", () => {
    const defs = Array.from({ length: 40 }, (_, k) => `  %v${k} = add i32 %x, ${k}`).join("\n");
    const uses = Array.from({ length: 40 }, (_, k) => `  %u${k} = add i32 %v${k}, 1`).join("\n");
    const big = parseModule(`define void @g(i32 %x) {\nentry:\n${defs}\n  br label %l\nl:\n${uses}\n  br label %l\n}\n`, { file: "big.ll" });
    const lv = new Liveness(big.getFunction("g")!);
    expect(lv.liveInOf(big.getFunction("g")!.blocks[1]!).length).toBe(40);
  });

  it("with baseUses, a GEP's use makes its same-block base live too (not a base from another block)", () => {
    const src = `define i32 @h(ptr %q, i1 %c) {
entry:
  %p = load ptr, ptr %q
  %a = getelementptr i8, ptr %p, i64 12
  %b = getelementptr i8, ptr %a, i64 4
  br label %l
l:
  %x = load i32, ptr %b
  %d = getelementptr i8, ptr %p, i64 8
  br label %m
m:
  %y = load i32, ptr %d
  %e = getelementptr i8, ptr %q, i64 8
  br i1 %c, label %l, label %out
out:
  %z = load i32, ptr %e
  ret i32 %z
}
`;
    const g = parseModule(src, { file: "bases.ll" }).getFunction("h")!;
    const blk = (n: string) => g.blocks.find((b) => b.name === n)!;
    const plain = new Liveness(g);
    const based = new Liveness(g, { baseUses: true });
    expect(names(plain.liveInOf(blk("l")))).toEqual(["b", "c", "p", "q"]);
    expect(names(based.liveInOf(blk("l")))).toEqual(["a", "b", "c", "p", "q"]);
    // m loops back to l, so %p and (with baseUses) %a are live into it as well.
    expect(names(plain.liveInOf(blk("m")))).toEqual(["b", "c", "d", "p", "q"]);
    expect(names(based.liveInOf(blk("m")))).toEqual(["a", "b", "c", "d", "p", "q"]);
    // %e's operand %q is an argument, not a same-block instruction: %e alone.
    expect(names(based.liveInOf(blk("out")))).toEqual(["e"]);
  });
});
