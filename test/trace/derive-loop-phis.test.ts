// The derive-loop-phis pass on a hand-built trace: three loop phis whose
// loop values are addresses at constant offsets from one loaded pointer
// become one phi and two addresses computed from it, their entry values are
// checked against the same relation in entry, the guard's deopt values
// follow, and the backend turns a failed entry check into an immediate
// return of the site (accepted by llvm-as).
import { execFileSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import { IRBuilder, Instruction, Module, addBlock, addFunction, constInt, functionType, i1, i8, i32, i64, ptr, voidType } from "../../src/ykir/index.js";
import type { Function } from "../../src/ykir/index.js";
import { GUARD_FN, guardValues, printTrace, type GuardInfo, type Trace } from "../../src/trace-ir/trace.js";
import { verifyTrace } from "../../src/trace-ir/verify.js";
import { run as deriveLoopPhis } from "../../src/opt/derive-loop-phis.js";
import { assignDeoptSources } from "../../src/codegen/deopt-sources.js";
import { emitLLVM } from "../../src/codegen/llvm.js";

/**
 * live struct { [16 x i8], ptr a (16), ptr b (24), ptr c (32), ptr q (40) };
 * each iteration loads x = *q and sets a = x+8, b = x+24, c = x+8; q is
 * carried unchanged; the guard (x != null) carries a, b, c.
 */
function sample(): { t: Trace; guard: Instruction; phis: Instruction[] } {
  const m = new Module();
  const fn: Function = addFunction(m, "t", functionType(i64, [ptr]), { argNames: ["live"] });
  const guardFn = addFunction(m, GUARD_FN, functionType(voidType, [i1, i32]));
  const entry = addBlock(fn, "entry");
  const loop = addBlock(fn, "loop");
  const b = new IRBuilder().atEnd(entry);
  const loads = [16, 24, 32, 40].map((off) => b.load(ptr, b.gep(i8, fn.args[0]!, [constInt(i64, off)], ["inbounds"])));
  const phis = loads.map((l) => {
    const p = new Instruction("phi", ptr, [l], null);
    p.blocks = [entry];
    loop.append(p);
    return p;
  });
  b.atEnd(loop);
  const x = b.load(ptr, phis[3]!);
  const nn = b.icmp("ne", x, phis[0]!);
  const guard = new Instruction("call", voidType, [nn, constInt(i32, 0), guardFn], null);
  guard.fnType = guardFn.fnType;
  guard.bundles = [{ tag: "deopt", values: [phis[0]!, phis[1]!, phis[2]!] }];
  loop.append(guard);
  const backs = [8, 24, 8].map((off) => b.gep(i8, x, [constInt(i64, off)], ["inbounds"]));
  phis.forEach((p, k) => { p.operands.push(k < 3 ? backs[k]! : p); p.blocks.push(loop); });
  b.atEnd(entry).br(loop);
  b.atEnd(loop).br(loop);
  const slot = (offset: number) => ({ offset, size: 8, source: 0 as const, payload: 0n });
  const guards: GuardInfo[] = [{ id: 0, what: "br interp#5 -> 6", frames: [{ fn: "interp", resumePoint: 7, kind: "term", bufSize: 48, slots: [slot(16), slot(24), slot(32)] }] }];
  const t: Trace = { name: "t", startFn: "interp", site: 3, liveTypes: [ptr, ptr, ptr, ptr], liveOffsets: [16, 24, 32, 40], liveSize: 48, module: m, fn, guards, recordedBlocks: 3 };
  return { t, guard, phis };
}

describe("derive-loop-phis", () => {
  test("phis at constant offsets from one base become one phi, checked on entry", () => {
    const { t, guard, phis } = sample();
    expect(verifyTrace(t)).toEqual([]);
    expect(deriveLoopPhis(t)).toBe(2);
    expect(verifyTrace(t)).toEqual([]);
    const loop = t.fn.blocks[1]!;
    const left = loop.instructions.filter((i) => i.opcode === "phi");
    expect(left).toEqual([phis[0], phis[3]]);
    // b and c are the first phi plus 16 and plus 0.
    const [a, bv, cv] = guardValues(guard);
    expect(a).toBe(phis[0]);
    for (const [v, d] of [[bv, 16n], [cv, 0n]] as const) {
      const g = v as Instruction;
      expect(g.opcode).toBe("getelementptr");
      expect(g.operands[0]).toBe(phis[0]);
      expect((g.operands[1] as unknown as { value: bigint }).value).toBe(d);
    }
    // Entry checks: entry b == entry a + 16, entry c == entry a + 0.
    expect(t.entryChecks).toHaveLength(2);
    const entry = t.fn.blocks[0]!;
    for (const c of t.entryChecks!) {
      const i = c as Instruction;
      expect(i.parent).toBe(entry);
      expect(i.opcode).toBe("icmp");
    }
    expect(printTrace(t)).toContain("; entry checks: 2 conditions");
  });

  test("the derived addresses leave the deopt bundle, and a failed entry check returns the site", () => {
    const { t, guard } = sample();
    deriveLoopPhis(t);
    assignDeoptSources(t, { derived: true });
    expect(guardValues(guard)).toHaveLength(1);
    expect(t.guards[0]!.frames[0]!.slots.map((s) => s.source)).toEqual([0, 3, 3]);
    expect(t.guards[0]!.frames[0]!.slots[1]!.payload).toBe((16n << 32n) | 16n);
    const text = emitLLVM(t, { peel: false });
    expect(text).toMatch(/br i1 %\S+, label %loop, label %bail/);
    expect(text).toMatch(/bail:\s*\n\s*ret i64 3/);
    execFileSync("llvm-as-19", ["-o", "/dev/null"], { input: text });
  });
});

describe("deopt sources from constant-offset addresses", () => {
  test("a slot others are derived from is never derived itself", () => {
    // Slots (in order): c = x + 24, a = b + 4, b = x + 16, with x in no slot.
    // a is derived from b; b must then stay in the bundle even though b and
    // c share the base x (c is derived from b instead).
    const m = new Module();
    const fn: Function = addFunction(m, "t", functionType(i64, [ptr]), { argNames: ["live"] });
    const guardFn = addFunction(m, GUARD_FN, functionType(voidType, [i1, i32]));
    const entry = addBlock(fn, "entry");
    const loop = addBlock(fn, "loop");
    const b = new IRBuilder().atEnd(entry);
    b.br(loop);
    b.atEnd(loop);
    const x = b.load(ptr, fn.args[0]!);
    const c = b.gep(i8, x, [constInt(i64, 24)]);
    const bv = b.gep(i8, x, [constInt(i64, 16)]);
    const a = b.gep(i8, bv, [constInt(i64, 4)]);
    const guard = new Instruction("call", voidType, [b.icmp("ne", x, a), constInt(i32, 0), guardFn], null);
    guard.fnType = guardFn.fnType;
    guard.bundles = [{ tag: "deopt", values: [c, a, bv] }];
    loop.append(guard);
    b.atEnd(loop).br(loop);
    const slot = (offset: number) => ({ offset, size: 8, source: 0 as const, payload: 0n });
    const guards: GuardInfo[] = [{ id: 0, what: "test", frames: [{ fn: "interp", resumePoint: 7, kind: "term", bufSize: 48, slots: [slot(16), slot(24), slot(32)] }] }];
    const t: Trace = { name: "t", startFn: "interp", site: 0, liveTypes: [], liveOffsets: [], liveSize: 16, module: m, fn, guards, recordedBlocks: 1 };
    assignDeoptSources(t, { derived: true });
    const [sc, sa, sb] = t.guards[0]!.frames[0]!.slots as [DeoptSlotT, DeoptSlotT, DeoptSlotT];
    expect(sa.source).toBe(3);
    expect(sa.payload).toBe((32n << 32n) | 4n);
    expect(sb.source).toBe(0);
    // c = b + 8, or c stays: either way not derived from a derived slot.
    if (sc.source === 3) expect(sc.payload >> 32n).toBe(32n);
    expect(guardValues(guard)).toContain(bv);
  });
});

type DeoptSlotT = { offset: number; size: number; source: number; payload: bigint };
