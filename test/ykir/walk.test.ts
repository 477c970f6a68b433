// Use computation and replacement over operands, bundles and debug records.
import { describe, it, expect } from "vitest";
import { parseModule } from "../../src/llvm-import/parser.js";
import { computeUses, replaceAllUses, phiIncoming, predecessors } from "../../src/ykir/walk.js";
import { printFunction } from "../../src/ykir/printer.js";

const SRC = `
define i32 @f(i32 %a, i1 %c) {
entry:
  br i1 %c, label %l, label %r
l:
  %x = add i32 %a, 1
  br label %j
r:
  br label %j
j:
    #dbg_value(i32 %a, !1, !DIExpression(), !2)
  %p = phi i32 [ %x, %l ], [ %a, %r ]
  %q = call i32 @g(i32 %a) [ "deopt"(i32 %a) ]
  ret i32 %p
}
declare i32 @g(i32)
!1 = !{}
!2 = !{}`;

describe("walk", () => {
  it("finds uses in operands, bundles and debug records, and replaces them", () => {
    const m = parseModule(SRC);
    const f = m.getFunction("f")!;
    const a = f.args[0]!;
    const [entry, l, r, j] = f.blocks;
    expect(computeUses(f).get(a)!.map((i) => i.opcode)).toEqual(["add", "phi", "call"]);
    const phi = j!.instructions[0]!;
    expect(phiIncoming(phi, r!)).toBe(a);
    expect(phiIncoming(phi, l!)).toBe(l!.instructions[0]);
    expect(predecessors(f).get(j!)).toEqual([l, r]);
    expect(predecessors(f).get(entry!)).toEqual([]);
    const n = replaceAllUses(f, a, phi);
    expect(n).toBe(5); // add, phi, call arg, bundle, debug record
    const text = printFunction(f, m);
    expect(text).toContain(`#dbg_value(i32 %p, !1, !DIExpression(), !2)`);
    expect(text).toContain(`call i32 @g(i32 %p) [ "deopt"(i32 %p) ]`);
  });
});
