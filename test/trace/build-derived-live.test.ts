// Live values that the original recomputes after the runtime returns: the
// instrumenter lists them per control-point site (side table `cpDerived`),
// and a trace neither loads their live-struct slots (it recomputes them
// from the other live values, at entry and at the top of its loop) nor
// stores them when it hands the live values back.
import { describe, expect, test } from "vitest";
import { parseModule } from "../../src/llvm-import/parser.js";
import { analyseFunction } from "../../src/instrument/resume-points.js";
import { decodeSideTable, describeFunction, encodeSideTable } from "../../src/instrument/side-table.js";
import type { SideFunction } from "../../src/instrument/side-table.js";
import { buildTrace, type ProgramView } from "../../src/trace-interp/build.js";
import { printTrace } from "../../src/trace-ir/trace.js";
import { verifyTrace } from "../../src/trace-ir/verify.js";
import { Instruction } from "../../src/ykir/index.js";

// %f is address arithmetic on %base, defined in %base's block: live across
// the control point, and recomputed by the original's reload.
const SRC = `
declare void @__ykts_control_point(ptr, ptr)

define i64 @run(ptr %mt, ptr %loc, ptr %p0) {
entry:
  br label %loop
loop:
  %base = phi ptr [ %p0, %entry ], [ %next, %loop ]
  %acc = phi i64 [ 0, %entry ], [ %acc2, %loop ]
  %f = getelementptr inbounds i8, ptr %base, i64 8
  call void @__ykts_control_point(ptr %mt, ptr %loc)
  %v = load i64, ptr %f
  %acc2 = add i64 %acc, %v
  %next = load ptr, ptr %base
  br label %loop
}
`;

function side(): SideFunction {
  const m = parseModule(SRC, { file: "derived.ll" });
  return describeFunction(analyseFunction(m.getFunction("run")!, { idempotent: new Set() }));
}

function program(): ProgramView {
  const m = parseModule(SRC, { file: "derived.ll" });
  const s = describeFunction(analyseFunction(m.getFunction("run")!, { idempotent: new Set() }));
  return {
    fn: (n) => { const f = m.getFunction(n); return f && !f.isDeclaration ? f : undefined; },
    side: (n) => (n === "run" ? s : undefined),
    annotations: () => undefined,
  };
}

/** The live-struct offsets the trace's entry block loads, and those it stores to anywhere. */
function liveAccess(t: ReturnType<typeof buildTrace>): { loads: number[]; stores: number[] } {
  const live = t.fn.args[0]!;
  const offsetOf = (p: unknown): number | null => {
    if (!(p instanceof Instruction) || p.opcode !== "getelementptr" || p.operands[0] !== live) return null;
    return Number((p.operands[1] as unknown as { value: bigint }).value);
  };
  const loads: number[] = [];
  const stores: number[] = [];
  for (const i of t.fn.blocks[0]!.instructions) if (i.opcode === "load") { const o = offsetOf(i.operands[0]); if (o !== null) loads.push(o); }
  for (const b of t.fn.blocks)
    for (const i of b.instructions) if (i.opcode === "store") { const o = offsetOf(i.operands[1]); if (o !== null) stores.push(o); }
  return { loads, stores };
}

describe("derived live values of a control point", () => {
  test("the side table lists them per site and keeps them through its binary form", () => {
    const s = side();
    const site = s.resume.find((p) => p.kind === "cp")!;
    // %f is instruction 2 of block 1.
    const fIndex = site.live.findIndex((r) => "inst" in r && r.inst[0] === 1 && r.inst[1] === 2);
    expect(fIndex).toBeGreaterThanOrEqual(0);
    expect(s.cpDerived).toEqual([[fIndex]]);
    const back = decodeSideTable(encodeSideTable({ version: 1, source: "derived.ll", unit: "u", functions: [s] }));
    expect(back.functions[0]!.cpDerived).toEqual([[fIndex]]);
    expect(back.functions[0]!.resume.map((p) => p.live)).toEqual(s.resume.map((p) => p.live));
  });

  test("a root trace recomputes the value instead of loading its slot", () => {
    const t = buildTrace(program(), { name: "t", startFn: "run", startSite: 0, blocks: [{ fn: "run", block: 1 }] });
    expect(verifyTrace(t)).toEqual([]);
    const fk = side().cpDerived![0]![0]!;
    const fOff = t.liveOffsets[fk]!;
    const { loads } = liveAccess(t);
    expect(loads).not.toContain(fOff);
    expect(loads.length).toBe(t.liveTypes.length - 1);
    // The loop's load through %f is through `getelementptr i8, %base, 8` of the loop's %base.
    expect(printTrace(t)).toMatch(/%(\d+) = getelementptr inbounds i8, ptr %\d+, i64 8\n(.|\n)*load i64, ptr %\1/);
  });

  test("a trace that hands over stores the values that changed but not the derived one", () => {
    const t = buildTrace(program(), { name: "t", startFn: "run", startSite: 0, blocks: [{ fn: "run", block: 1 }], exitsToLoc: true });
    expect(verifyTrace(t)).toEqual([]);
    const s = side();
    const site = s.resume.find((p) => p.kind === "cp")!;
    const fk = s.cpDerived![0]![0]!;
    const baseK = site.live.findIndex((r) => "inst" in r && r.inst[0] === 1 && r.inst[1] === 0);
    expect(baseK).toBeGreaterThanOrEqual(0);
    const { loads, stores } = liveAccess(t);
    expect(loads).not.toContain(t.liveOffsets[fk]);
    expect(stores).toContain(t.liveOffsets[baseK]);
    expect(stores).not.toContain(t.liveOffsets[fk]);
  });
});
