// The fold-guards pass on hand-built traces: instructions whose operands
// are constants fold, a guard on `true` goes and the others are renumbered
// (the deopt table, the side-trace table and the LLVM module follow), a
// guard on the condition of an earlier one goes, what a passed guard
// established holds for the rest of the iteration, and what a failed guard
// established is what its own deopt values carry. Guards on `false`, on
// conditions not yet known, and uses before a guard are left alone.
import { execFileSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import { Instruction, addFunction, constInt, functionType, i1, i8, i32, i64, ptr } from "../../src/ykir/index.js";
import { UPGRADE_CHECK_FN, guardId, guardValues, isGuard, printTrace, type Trace } from "../../src/trace-ir/trace.js";
import { traceHarness } from "./opt-harness.js";
import { verifyTrace } from "../../src/trace-ir/verify.js";
import { run as foldGuards } from "../../src/opt/fold-guards.js";
import { run as forwardLoads } from "../../src/opt/forward-loads.js";
import { run as dce } from "../../src/opt/dce.js";
import { assignDeoptSources } from "../../src/codegen/deopt-sources.js";
import { emitLLVM, encodeMeta } from "../../src/codegen/llvm.js";

/** A root trace over live struct { [16 x i8], ptr p (16), i64 n (24), i8 k (32) }; `guard` adds a guard with one slot per deopt value. */
function harness() {
  const h = traceHarness([{ name: "p", type: ptr }, { name: "n", type: i64 }, { name: "k", type: i8 }], { resumeBase: 100 });
  return { ...h, p: h.live.p!, n: h.live.n!, k: h.live.k! };
}

function loopText(t: Trace): string {
  const s = printTrace(t);
  return s.slice(s.indexOf("loop:\n"), s.indexOf("}\n"));
}

function fold(t: Trace): { before: string; after: string; n: number } {
  const before = loopText(t);
  const n = foldGuards(t);
  expect(verifyTrace(t)).toEqual([]);
  return { before, after: loopText(t), n };
}

describe("fold-guards", () => {
  test("a guard whose condition folds to true goes; the others are renumbered and keep their frames", () => {
    const h = harness();
    const { b } = h;
    h.guard(b.icmp("sgt", h.n, constInt(i64, 0), "pos"), [h.n]);                 // 0: stays, id 0
    const tag = b.add(constInt(i8, 1), constInt(i8, 2), [], "tag");               // folds to 3
    h.guard(b.icmp("eq", tag, constInt(i8, 3), "is3"), [tag]);                    // 1: true, goes
    h.guard(b.icmp("slt", h.n, constInt(i64, 100), "small"), [h.n, h.k]);        // 2: stays, becomes 1
    const t = h.finish();
    const { after, n } = fold(t);
    expect(n).toBe(3); // two instructions folded, one guard removed
    expect(after).toBe(
      "loop:\n" +
      "  %pos = icmp sgt i64 %n, 0\n" +
      "  call void @ykts.guard(i1 %pos, i32 0) [ \"deopt\"(i64 %n) ]\n" +
      "  %small = icmp slt i64 %n, 100\n" +
      "  call void @ykts.guard(i1 %small, i32 1) [ \"deopt\"(i64 %n, i8 %k) ]\n" +
      "  br label %loop\n");
    expect(t.guards.map((g) => [g.id, g.what, g.frames[0]!.resumePoint])).toEqual([[0, "test guard 0", 100], [1, "test guard 2", 102]]);
    // Deopt table: 2 guards; the side-trace table has 2 entries; llvm-as accepts the module.
    assignDeoptSources(t, { derived: true });
    const meta = encodeMeta(t);
    const dv = new DataView(meta.buffer, meta.byteOffset);
    let off = 4 + 4 + 4 + 4 + 4 + "interp".length;
    const lists = dv.getUint32(off, true); off += 4;
    for (let l = 0; l < lists; l++) off += 4 + 16 * dv.getUint32(off, true);
    expect(dv.getUint32(off, true)).toBe(2);
    const text = emitLLVM(t);
    expect(text).toContain("@t_side = global [2 x ptr] zeroinitializer");
    expect(text).not.toContain("g2.exit");
    execFileSync("llvm-as-19", ["-o", "/dev/null"], { input: text });
  });

  test("a guard on the condition of an earlier guard goes; past a guard its condition is true, a negated one false, an integer it compared equal is that constant", () => {
    const h = harness();
    const { b } = h;
    const is3 = b.icmp("eq", h.k, constInt(i8, 3), "is3");
    h.guard(is3, [h.k, is3]);
    const z = b.icmp("eq", h.n, constInt(i64, 0), "z");
    const nz = b.binop("xor", z, constInt(i1, 1), [], "nz");
    h.guard(nz, [h.n, z]);
    const again = b.cast("zext", is3, i32, "again");                   // is3 is true here: 1
    h.guard(is3, [again]);                                              // cannot fail: goes
    const next = b.add(h.k, constInt(i8, 1), [], "next");              // k is 3 here: 4
    h.guard(b.icmp("ult", h.n, constInt(i64, 9), "lt9"), [next, z, h.k]);
    const t = h.finish();
    const { after } = fold(t);
    expect(after).toBe(
      "loop:\n" +
      "  %is3 = icmp eq i8 %k, 3\n" +
      // failing here: is3 is false (k is not 3: nothing to say about k)
      "  call void @ykts.guard(i1 %is3, i32 0) [ \"deopt\"(i8 %k, i1 false) ]\n" +
      "  %z = icmp eq i64 %n, 0\n" +
      "  %nz = xor i1 %z, true\n" +
      // failing here: nz is false, so z is true and n is 0
      "  call void @ykts.guard(i1 %nz, i32 1) [ \"deopt\"(i64 0, i1 true) ]\n" +
      "  %lt9 = icmp ult i64 %n, 9\n" +
      // passed both: k is 3, z is false
      "  call void @ykts.guard(i1 %lt9, i32 2) [ \"deopt\"(i8 4, i1 false, i8 3) ]\n" +
      "  br label %loop\n");
    expect(t.guards.map((g) => g.what)).toEqual(["test guard 0", "test guard 1", "test guard 3"]);
  });

  test("what a guard establishes reaches the back edge, and nothing before the guard", () => {
    const h = harness();
    const { b, loop, entry } = h;
    const phi = new Instruction("phi", i8, [h.k], "cur");
    phi.blocks = [entry];
    loop.append(phi);
    const early = b.add(phi, constInt(i8, 1), [], "early");            // before the guard: stays
    b.store(early, h.p);
    h.guard(b.icmp("eq", phi, constInt(i8, 7), "is7"), [phi]);
    phi.operands.push(phi);
    phi.blocks.push(loop);
    const t = h.finish();
    const { after } = fold(t);
    expect(after).toBe(
      "loop:\n" +
      "  %cur = phi i8 [ %k, %entry ], [ 7, %loop ]\n" +
      "  %early = add i8 %cur, 1\n" +
      "  store i8 %early, ptr %p\n" +
      "  %is7 = icmp eq i8 %cur, 7\n" +
      "  call void @ykts.guard(i1 %is7, i32 0) [ \"deopt\"(i8 %cur) ]\n" +
      "  br label %loop\n");
  });

  test("what is left alone: a guard on false, on a condition only ordered (slt), the same comparison made twice", () => {
    const h = harness();
    const { b } = h;
    h.guard(constInt(i1, 0), []);
    const lt = b.icmp("slt", h.n, constInt(i64, 5), "lt");
    h.guard(lt, [h.n]);
    const lt2 = b.icmp("slt", h.n, constInt(i64, 5), "lt2");           // another value: not known (no CSE here)
    h.guard(lt2, [h.n]);
    const t = h.finish();
    const { before, after, n } = fold(t);
    expect(n).toBe(0);
    expect(after).toBe(before);
    expect(t.guards).toHaveLength(3);
  });

  test("the upgrade-check guard keeps being named by Trace.upgradeGuard when guards before it go", () => {
    const h = harness();
    const { b, m } = h;
    h.guard(constInt(i1, 1), []);
    const check = addFunction(m, UPGRADE_CHECK_FN, functionType(i1, []));
    const c = b.call(check, [], { name: "up" });
    h.guard(c, [h.n]);
    const t = h.finish();
    t.upgradeGuard = 1;
    fold(t);
    expect(t.upgradeGuard).toBe(0);
    expect(t.guards[0]!.what).toBe("test guard 1");
  });
});

describe("forward-loads, fold-guards, dce together", () => {
  test("a type tag stored and checked again: the check, its guard and its deopt values go; the stores stay", () => {
    // As in minilua's traces: `store i8 3` to a slot's tag, later the
    // next bytecode loads the tag and guards on it being 3.
    const h = harness();
    const { b, p } = h;
    const slot = b.gep(i8, p, [constInt(i64, 32)], ["inbounds"], "slot");
    const x = b.load(i64, slot, 8, "x");
    const sum = b.add(x, h.n, [], "sum");
    b.store(sum, slot);
    b.store(constInt(i8, 3), b.gep(i8, slot, [constInt(i64, 8)], ["inbounds"], "tagp"));
    const slot2 = b.gep(i8, p, [constInt(i64, 32)], ["inbounds"], "slot2");
    const tagp2 = b.gep(i8, slot2, [constInt(i64, 8)], ["inbounds"], "tagp2");
    const tag = b.load(i8, tagp2, 8, "tag");
    const ok = b.icmp("eq", tag, constInt(i8, 3), "ok");
    h.guard(ok, [slot2, tag]);
    const y = b.load(i64, slot2, 8, "y");
    const big = b.icmp("slt", y, constInt(i64, 1000), "small");
    h.guard(big, [y]);
    const t = h.finish();
    const before = loopText(t);
    expect(before.match(/ykts\.guard/g)).toHaveLength(2);
    forwardLoads(t);
    foldGuards(t);
    dce(t);
    expect(verifyTrace(t)).toEqual([]);
    expect(loopText(t)).toBe(
      "loop:\n" +
      "  %slot = getelementptr inbounds i8, ptr %p, i64 32\n" +
      "  %x = load i64, ptr %slot, align 8\n" +
      "  %sum = add i64 %x, %n\n" +
      "  store i64 %sum, ptr %slot\n" +
      "  %tagp = getelementptr inbounds i8, ptr %slot, i64 8\n" +
      "  store i8 3, ptr %tagp\n" +
      "  %small = icmp slt i64 %sum, 1000\n" +
      "  call void @ykts.guard(i1 %small, i32 0) [ \"deopt\"(i64 %sum) ]\n" +
      "  br label %loop\n");
    expect(t.guards.map((g) => g.what)).toEqual(["test guard 1"]);
    expect(t.fn.blocks[1]!.instructions.filter(isGuard).map(guardId)).toEqual([0]);
    expect(guardValues(t.fn.blocks[1]!.instructions.find(isGuard)!)).toHaveLength(1);
    // The unused entry load of k went too.
    expect(t.fn.blocks[0]!.instructions.some((i) => i.name === "k")).toBe(false);
    assignDeoptSources(t, { derived: true });
    execFileSync("llvm-as-19", ["-o", "/dev/null"], { input: emitLLVM(t) });
  });
});
