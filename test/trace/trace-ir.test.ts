// Trace IR on hand-built traces: the verifier catches malformed ones, the
// invariant-phi pass folds what the loop never changes (deopt values too),
// deopt sources and the v2 deopt table come out as docs/traces.md says, and
// the LLVM module the backend prints is accepted by llvm-as.
import { execFileSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import {
  ConstantExpr, IRBuilder, Instruction, Module, addBlock, addFunction, addGlobal, constInt, functionType, i1, i8, i32, i64, ptr, voidType,
} from "../../src/ykir/index.js";
import type { Function, Value } from "../../src/ykir/index.js";
import { GUARD_FN, printTrace, type GuardInfo, type Trace } from "../../src/trace-ir/trace.js";
import { verifyTrace } from "../../src/trace-ir/verify.js";
import { run as foldInvariantPhis } from "../../src/opt/fold-invariant-phis.js";
import { assignDeoptSources } from "../../src/codegen/deopt-sources.js";
import { emitLLVM, encodeMeta } from "../../src/codegen/llvm.js";

/**
 * live struct { [16 x i8], i64 n (16), i64 i (24), ptr g (32) }; the loop
 * adds 1 to i and leaves when i == n (guard 0: frame interp@term5 with
 * slots for n, i, g at 16, 24, 32 of a 48-byte buffer).
 */
function sample(): { t: Trace; guard: Instruction; phis: Instruction[]; inc: Instruction } {
  const m = new Module();
  const fn: Function = addFunction(m, "t", functionType(i64, [ptr]), { argNames: ["live"] });
  const guardFn = addFunction(m, GUARD_FN, functionType(voidType, [i1, i32]));
  const g = addGlobal(m, "counter", i64, null, { linkage: "external" });
  const entry = addBlock(fn, "entry");
  const loop = addBlock(fn, "loop");
  const b = new IRBuilder().atEnd(entry);
  const loads = [16, 24, 32].map((off, k) => b.load(k === 2 ? ptr : i64, b.gep(i8, fn.args[0]!, [constInt(i64, off)], ["inbounds"])));
  const phis = loads.map((l) => {
    const p = new Instruction("phi", l.type, [l], null);
    p.blocks = [entry];
    loop.append(p);
    return p;
  });
  b.atEnd(loop);
  const inc = b.add(phis[1]!, constInt(i64, 1));
  b.store(inc, g);
  const ne = b.icmp("ne", inc, phis[0]!);
  const guard = new Instruction("call", voidType, [ne, constInt(i32, 0), guardFn], null);
  guard.fnType = guardFn.fnType;
  guard.bundles = [{ tag: "deopt", values: [phis[0]!, inc, phis[2]!] }];
  loop.append(guard);
  const backs: Value[] = [phis[0]!, inc, phis[2]!];
  phis.forEach((p, k) => { p.operands.push(backs[k]!); p.blocks.push(loop); });
  b.atEnd(entry).br(loop);
  b.atEnd(loop).br(loop);
  const slot = (offset: number) => ({ offset, size: 8, source: 0 as const, payload: 0n });
  const guards: GuardInfo[] = [{ id: 0, what: "br interp#5 -> 6", frames: [{ fn: "interp", resumePoint: 7, kind: "term", bufSize: 48, slots: [slot(16), slot(24), slot(32)] }] }];
  const t: Trace = { name: "t", startFn: "interp", site: 0, liveTypes: [i64, i64, ptr], liveOffsets: [16, 24, 32], liveSize: 48, module: m, fn, guards, recordedBlocks: 3 };
  return { t, guard, phis, inc };
}

describe("trace IR", () => {
  test("a well-formed trace verifies and prints with its guard's frames", () => {
    const { t } = sample();
    expect(verifyTrace(t)).toEqual([]);
    const text = printTrace(t);
    expect(text).toContain("call void @ykts.guard(i1 ");
    expect(text).toContain(`[ "deopt"(`);
    expect(text).toContain("; guard 0: br interp#5 -> 6; frames interp@term7(3)");
  });

  test("the verifier names what is wrong", () => {
    const a = sample();
    // use before definition: move the add after the store that uses it
    const body = a.t.fn.blocks[1]!.instructions;
    const k = body.indexOf(a.inc);
    [body[k], body[k + 1]] = [body[k + 1]!, body[k]!];
    expect(verifyTrace(a.t).join("\n")).toMatch(/operand used before its definition/);

    const b = sample();
    b.guard.bundles = [{ tag: "deopt", values: [b.phis[0]!] }];
    expect(verifyTrace(b.t).join("\n")).toMatch(/guard 0 carries 1 values, its frames have 3 slots/);

    const c = sample();
    c.t.fn.blocks[1]!.instructions.splice(1, 0, new Instruction("br", voidType, [], null));
    expect(verifyTrace(c.t).join("\n")).toMatch(/only the final br label %loop may be a terminator/);
  });

  test("fold-invariant-phis removes the phis the loop carries unchanged, deopt values included", () => {
    const { t, guard, phis } = sample();
    expect(foldInvariantPhis(t)).toBe(2); // n and g; i changes
    expect(verifyTrace(t)).toEqual([]);
    const loop = t.fn.blocks[1]!;
    expect(loop.instructions.filter((i) => i.opcode === "phi")).toEqual([phis[1]]);
    const vals = guard.bundles![0]!.values;
    expect(vals[0]).toBe(phis[0]!.operands[0]); // n: now the entry load
    expect(vals[2]).toBe(phis[2]!.operands[0]);
  });

  test("deopt sources: entry loads come from the live struct, only changing values stay in the bundle", () => {
    const { t, guard, inc } = sample();
    foldInvariantPhis(t);
    assignDeoptSources(t);
    expect(verifyTrace(t)).toEqual([]);
    expect(guard.bundles![0]!.values).toEqual([inc]);
    expect(t.guards[0]!.frames[0]!.slots.map((s) => [s.source, Number(s.payload)])).toEqual([[1, 16], [0, 0], [1, 32]]);
  });

  test("deopt sources: integer, null and promoted-pointer constants go into the table", () => {
    const { t, guard, phis, inc } = sample();
    const p = new ConstantExpr(ptr, "inttoptr", [constInt(i64, 0x5000n)]);
    guard.bundles = [{ tag: "deopt", values: [constInt(i64, -2), inc, p] }];
    void phis;
    assignDeoptSources(t);
    expect(guard.bundles![0]!.values).toEqual([inc]);
    expect(t.guards[0]!.frames[0]!.slots.map((s) => [s.source, s.payload])).toEqual([[2, 0xfffffffffffffffen], [0, 0n], [2, 0x5000n]]);
  });

  test("the deopt table is version 2 with shared slot lists", () => {
    const { t } = sample();
    t.guards.push({ ...t.guards[0]!, id: 1 }); // a second guard with the same frame layout
    const bytes = encodeMeta(t);
    const dv = new DataView(bytes.buffer);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe("YKTM");
    expect(dv.getUint32(4, true)).toBe(2);
    expect(dv.getUint32(8, true)).toBe(0); // site
    expect(dv.getUint32(12, true)).toBe(48); // live size
    const nameLen = dv.getUint32(16, true);
    let p = 20 + nameLen;
    expect(dv.getUint32(p, true)).toBe(1); // one slot list for both guards
    const slots = dv.getUint32(p + 4, true);
    expect(slots).toBe(3);
    p += 8 + slots * 16;
    expect(dv.getUint32(p, true)).toBe(2); // guards
    expect(p + 4 + 2 * (4 + 4 + 6 + 4 + 4 + 4)).toBe(bytes.length);
  });

  test("the LLVM module is valid IR with a cold deopt exit per guard", () => {
    const { t } = sample();
    foldInvariantPhis(t);
    assignDeoptSources(t);
    const text = emitLLVM(t);
    // one exit call per guard: its side trace, or while it has none the deopt entry, which reads the guard from the stackmap record's ID
    expect(text).toMatch(/g0\.exit:\n  %(\d+) = load ptr, ptr getelementptr inbounds \(\[1 x ptr\], ptr @t_side, i64 0, i64 0\), align 8\n  %(\d+) = icmp eq ptr %\1, null\n  %(\d+) = select i1 %\2, ptr @__ykts_deopt_any, ptr %\1\n(  %\d+ = zext i1 %\d+ to i8\n)*  %\d+ = call i64 %\3\(ptr %live[^)]*\) "statepoint-id"="0" \[ "deopt"\(/);
    expect(text).toContain("declare i64 @__ykts_deopt_any(ptr, ...)");
    expect(text).not.toMatch(/@__ykts_deopt\b/);
    expect(text).toContain("@t_meta = constant [");
    expect(text).toContain("@counter = external global i64");
    expect(text).not.toContain(GUARD_FN);
    const out = execFileSync("llvm-as-19", ["-o", "/dev/null", "-"], { input: text, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] });
    expect(out).toBe("");
  });

  test("a root trace's guard exits stay in its loop: LCSSA has no value to give a phi", () => {
    const { t } = sample();
    assignDeoptSources(t);
    const text = emitLLVM(t, { peel: false });
    // reload loads the live values again and goes to the latch, as the back edge does
    expect(text).toMatch(/\nreload:\n(  .*\n)*  %\d+ = load i64, ptr %\d+\n(  .*\n)*  br label %latch\n/);
    // the latch merges the two, counts the iteration only from the back edge, and is the header's one way round
    expect(text).toMatch(/\nlatch:\n  %(\d+) = phi i64 \[ 1, %g0\.ok \], \[ 0, %reload \]\n(  %\d+ = phi [^\n]*\[ %\d+, %g0\.ok \], \[ %\d+, %reload \]\n)+(  .*\n)*  store i64 %\d+, ptr @t_iters[^\n]*\n  br label %loop\n/);
    expect(text).toMatch(/phi i64 \[ %\d+, %entry \], \[ %\d+, %latch \]\n/);
    expect(text.match(/label %loop\b/g)).toHaveLength(2); // entry's and the latch's
    // the exit call goes on to reload (a side trace's restart) or to a block that returns its result
    expect(text).toMatch(/\n  %(\d+) = call i64 %\d+\(ptr %live[^\n]* "statepoint-id"="0" \[ "deopt"\([^\n]*\n  %(\d+) = icmp eq i64 %\1, -2\n  br i1 %\2, label %reload, label %g0\.ret\n/);
    // Through clang's whole -O2 pipeline (LCSSA runs before each loop pass),
    // LCSSA adds no phi for a value the guard carries: only the results that
    // the returning exits return.
    const after = execFileSync("bash", ["-c", "opt-19 -passes='default<O2>' -print-after=lcssa -disable-output - 2>&1"], { input: text, encoding: "utf8" });
    expect(after).toMatch(/IR Dump After LCSSAPass/);
    const lcssa = after.match(/\.lcssa\d* = phi [^\n]*/g) ?? [];
    expect(lcssa.filter((l) => !/phi i64 \[ %\d+, %g0\.exit \]/.test(l))).toEqual([]);
  });
});
