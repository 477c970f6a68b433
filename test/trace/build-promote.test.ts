// The trace builder's handling of promoted values and idempotent calls, on a
// hand-written interpreter loop (LLVM text, so that block numbers are known)
// and hand-made recordings: a promoted `pc` is guarded once and then a
// constant, the instruction word fetched through an idempotent function
// with that constant argument is the recorded value, everything decoded
// from it folds (the branch on the opcode needs no guard), an idempotent
// call with a non-constant argument stays a call, a yk_outline function is
// called rather than inlined with its own promote counted, and recordings
// whose promoted values do not line up are refused with a reason.
import { describe, expect, test } from "vitest";
import { parseModule } from "../../src/llvm-import/parser.js";
import { analyseFunction } from "../../src/instrument/resume-points.js";
import { describeFunction } from "../../src/instrument/side-table.js";
import type { SideFunction } from "../../src/instrument/side-table.js";
import { functionAnnotations, IDEMPOTENT } from "../../src/instrument/annotations.js";
import { buildTrace, TraceAbort, type ProgramView } from "../../src/trace-interp/build.js";
import { printTrace } from "../../src/trace-ir/trace.js";
import { verifyTrace } from "../../src/trace-ir/verify.js";

const LOOP = `
@.str = private unnamed_addr constant [14 x i8] c"yk_idempotent\\00", section "llvm.metadata"
@.str.1 = private unnamed_addr constant [11 x i8] c"yk_outline\\00", section "llvm.metadata"
@llvm.global.annotations = appending global [2 x { ptr, ptr, ptr, i32, ptr }] [{ ptr, ptr, ptr, i32, ptr } { ptr @fetch, ptr @.str, ptr null, i32 0, ptr null }, { ptr, ptr, ptr, i32, ptr } { ptr @helper, ptr @.str.1, ptr null, i32 0, ptr null }], section "llvm.metadata"

declare void @__ykts_control_point(ptr, ptr)
declare ptr @__ykts_promote_ptr(ptr)
declare i64 @__ykts_promote_i64(i64)

define i64 @fetch(ptr %p) {
  %v = load i64, ptr %p
  ret i64 %v
}

define i64 @helper(i64 %x) {
  %y = call i64 @__ykts_promote_i64(i64 %x)
  %z = add i64 %y, 1
  ret i64 %z
}

define i64 @run(ptr %mt, ptr %loc, ptr %code, i64 %n) {
entry:
  br label %loop
loop:
  %pc = phi ptr [ %code, %entry ], [ %next, %loop ]
  %acc = phi i64 [ 0, %entry ], [ %acc2, %loop ]
  call void @__ykts_control_point(ptr %mt, ptr %loc)
  %p = call ptr @__ykts_promote_ptr(ptr %pc)
  %w = call i64 @fetch(ptr %p)
  %op = and i64 %w, 255
  %arg = lshr i64 %w, 8
  %isadd = icmp eq i64 %op, 1
  %next = getelementptr inbounds i64, ptr %p, i64 1
  %h = call i64 @helper(i64 %acc)
  %first = call i64 @fetch(ptr %code)
  %s = add i64 %h, %arg
  %acc2 = add i64 %s, %first
  br i1 %isadd, label %loop, label %exit
exit:
  ret i64 %acc
}
`;

function program(): ProgramView {
  const m = parseModule(LOOP, { file: "loop.ll" });
  const ann = functionAnnotations(m);
  const idempotent = new Set([...ann].filter(([, a]) => a.has(IDEMPOTENT)).map(([n]) => n));
  const sides = new Map<string, SideFunction>();
  for (const f of m.functions) if (!f.isDeclaration) sides.set(f.name!, describeFunction(analyseFunction(f, { idempotent })));
  return {
    fn: (n) => { const f = m.getFunction(n); return f && !f.isDeclaration ? f : undefined; },
    side: (n) => sides.get(n),
    annotations: (n) => ann.get(n),
  };
}

// One iteration as the traced clones record it: fetch's block, helper's
// block, fetch's block again, then the loop block of run.
const BLOCKS = [{ fn: "fetch", block: 0 }, { fn: "helper", block: 0 }, { fn: "fetch", block: 0 }, { fn: "run", block: 1 }];
const PC = 0x1000n, WORD = 0x2a01n; // opcode 1 (loop again), argument 42
const PROMOTES = [
  { kind: "ptr", bits: PC }, // promote of pc
  { kind: "i64", bits: WORD }, // fetch(pc)
  { kind: "i64", bits: 7n }, // helper's own promote
  { kind: "i64", bits: 99n }, // fetch(code)
];

function build(promotes: { kind: string; bits: bigint }[], blocks = BLOCKS) {
  return buildTrace(program(), { name: "t", startFn: "run", startSite: 0, blocks, promotes });
}

describe("trace builder: promotion and idempotent calls", () => {
  test("the side table has a before point at the promote and lists the idempotent calls", () => {
    const side = program().side("run")!;
    expect(side.resume.filter((p) => p.kind === "before").map((p) => p.at)).toEqual([[1, 3]]);
    expect(side.idempotent).toEqual([[1, 4], [1, 10]]);
    expect(program().side("helper")!.resume.filter((p) => p.kind === "before").map((p) => p.at)).toEqual([[0, 0]]);
  });

  test("pc is guarded once, the fetched word and what is decoded from it are constants", () => {
    const t = build(PROMOTES);
    expect(verifyTrace(t)).toEqual([]);
    const text = printTrace(t);
    // One guard: the promote (resuming before its call); the branch on the
    // opcode folded away.
    expect(t.guards.map((g) => [g.what, g.frames.map((f) => f.kind)])).toEqual([["promote run#1 == 0x1000", ["before"]]]);
    expect(text).toMatch(/icmp eq ptr %\d+, inttoptr \(i64 4096 to ptr\)/);
    // fetch(pc) is gone, fetch(code) is a call; helper is called, not inlined.
    expect(text.match(/call i64 @fetch\(/g)).toHaveLength(1);
    expect(text).toMatch(/call i64 @fetch\(ptr %\d+\)/);
    expect(text).toMatch(/call i64 @helper\(i64 %\d+\)/);
    // The word's argument (42) is added as a constant; nothing is decoded at run time.
    expect(text).toMatch(/add i64 %\d+, 42/);
    expect(text).not.toMatch(/ and i64 | lshr i64 /);
    // The loop carries the next pc as a constant.
    expect(text).toMatch(/phi ptr \[ %\d+, %entry \], \[ inttoptr \(i64 4104 to ptr\), %loop \]/);
  });

  test("promoted values that do not line up with the promotes abort the trace", () => {
    const abort = (promotes: { kind: string; bits: bigint }[]) => {
      try { build(promotes); } catch (e) { if (e instanceof TraceAbort) return e.reason; throw e; }
      return "built";
    };
    expect(abort(PROMOTES.slice(0, 2))).toMatch(/promote in helper \(called, not inlined\): the recording has no promoted value left \(it has 2\)/);
    expect(abort([...PROMOTES, { kind: "i64", bits: 1n }])).toMatch(/the recording carries 5 promoted values, the trace used 4/);
    expect(abort([{ kind: "i64", bits: PC }, ...PROMOTES.slice(1)])).toMatch(/promoted value #0 was recorded as i64, expected ptr/);
    // A word whose opcode says "leave the loop" contradicts the recorded path.
    expect(abort([PROMOTES[0]!, { kind: "i64", bits: 0x2a02n }, ...PROMOTES.slice(2)])).toMatch(/contradicts a condition that is constant/);
  });
});
