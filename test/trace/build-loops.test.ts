// The trace builder and callees that loop: a call whose recorded blocks go
// round a loop of the callee's own is made to the original instead of
// being inlined (the trace would otherwise hold one copy of the body per
// iteration and a guard on the trip count), unless the builder is told to
// inline loops (YKTS_INLINE_LOOPS=1); a callee whose recorded path is
// straight is inlined as before.
import { describe, expect, test } from "vitest";
import { parseModule } from "../../src/llvm-import/parser.js";
import { analyseFunction } from "../../src/instrument/resume-points.js";
import { describeFunction } from "../../src/instrument/side-table.js";
import type { SideFunction } from "../../src/instrument/side-table.js";
import { buildTrace, type ProgramView } from "../../src/trace-interp/build.js";
import { printTrace } from "../../src/trace-ir/trace.js";
import { verifyTrace } from "../../src/trace-ir/verify.js";

const SRC = `
declare void @__ykts_control_point(ptr, ptr)

define i64 @count(i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i2, %loop ]
  %s = phi i64 [ 0, %entry ], [ %s2, %loop ]
  %s2 = add i64 %s, %i
  %i2 = add i64 %i, 1
  %c = icmp ult i64 %i2, %n
  br i1 %c, label %loop, label %done
done:
  ret i64 %s2
}

define i64 @run(ptr %mt, ptr %loc, i64 %n) {
entry:
  br label %loop
loop:
  %acc = phi i64 [ 0, %entry ], [ %acc2, %loop ]
  call void @__ykts_control_point(ptr %mt, ptr %loc)
  %h = call i64 @count(i64 %n)
  %acc2 = add i64 %acc, %h
  br label %loop
}
`;

function program(): ProgramView {
  const m = parseModule(SRC, { file: "loops.ll" });
  const sides = new Map<string, SideFunction>();
  for (const f of m.functions) if (!f.isDeclaration) sides.set(f.name!, describeFunction(analyseFunction(f, { idempotent: new Set() })));
  return {
    fn: (n) => { const f = m.getFunction(n); return f && !f.isDeclaration ? f : undefined; },
    side: (n) => sides.get(n),
    annotations: () => undefined,
  };
}

const count = (iterations: number) => [
  { fn: "count", block: 0 },
  ...Array.from({ length: iterations }, () => ({ fn: "count", block: 1 })),
  { fn: "count", block: 2 },
  { fn: "run", block: 1 },
];

function build(iterations: number, inlineLoops?: boolean) {
  const t = buildTrace(program(), { name: "t", startFn: "run", startSite: 0, blocks: count(iterations) }, { inlineLoops });
  expect(verifyTrace(t)).toEqual([]);
  return { t, text: printTrace(t) };
}

describe("trace builder: callees that loop", () => {
  test("a call that went round its callee's loop three times is a call of the original", () => {
    const { t, text } = build(3);
    expect(text).toMatch(/call i64 @count\(i64 %\d+\)/);
    expect(t.guards).toEqual([]);
  });

  test("inlined when told to: one guard per recorded test of the loop condition", () => {
    const { t, text } = build(3, true);
    expect(text).not.toMatch(/@count\(/);
    expect(t.guards.map((g) => g.what)).toEqual(["br count#1 -> 1", "br count#1 -> 1", "br count#1 -> 2"]);
  });

  test("a callee whose recorded path does not loop is inlined", () => {
    const { t, text } = build(1);
    expect(text).not.toMatch(/@count\(/);
    expect(t.guards.map((g) => g.what)).toEqual(["br count#1 -> 2"]);
  });
});
