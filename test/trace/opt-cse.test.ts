// The cse pass on hand-built traces: a pure instruction that computes what
// an earlier one does goes and its uses (operands, deopt values, the back
// edge of a phi, entry checks) take the earlier one; instructions that
// differ in flags, predicate, operand order (where it matters) or type,
// and loads, calls and phis, stay. Before/after trace IR.
import { describe, expect, test } from "vitest";
import { addFunction, constInt, functionType, i1, i8, i32, i64 } from "../../src/ykir/index.js";
import { printTrace, type Trace } from "../../src/trace-ir/trace.js";
import { pnmHarness } from "./opt-harness.js";
import { verifyTrace } from "../../src/trace-ir/verify.js";
import { run as cse } from "../../src/opt/cse.js";

const harness = pnmHarness;

function loopText(t: Trace): string {
  const s = printTrace(t);
  return s.slice(s.indexOf("loop:\n"), s.indexOf("}\n"));
}

describe("cse", () => {
  test("copies of addresses, arithmetic and compares go; their loads, stores, guards and deopt values use the first", () => {
    const h = harness();
    const { b, p, n } = h;
    const a1 = b.gep(i8, p, [constInt(i64, 8)], ["inbounds"], "a1");
    const x = b.load(i8, a1, 8, "x");
    const a2 = b.gep(i8, p, [constInt(i64, 8)], ["inbounds"], "a2"); // copy of a1
    const y = b.load(i8, a2, 8, "y");                                  // a load: stays
    const c1 = b.icmp("eq", x, constInt(i8, 3), "c1");
    h.guard(c1, [a2]);
    const c2 = b.icmp("eq", x, constInt(i8, 3), "c2");                 // copy of c1
    h.guard(c2, [y, a2]);
    const s1 = b.add(n, constInt(i64, 1), [], "s1");
    const s2 = b.add(constInt(i64, 1), n, [], "s2");                   // add commutes: copy
    const d1 = b.sub(n, constInt(i64, 1), [], "d1");
    const d2 = b.sub(constInt(i64, 1), n, [], "d2");                   // sub does not
    const w = b.add(n, constInt(i64, 1), ["nsw"], "w");                // other flags: stays
    const lt = b.icmp("slt", n, constInt(i64, 1), "lt");               // other predicate: stays
    b.store(s2, a2);
    b.store(d2, b.gep(i8, p, [constInt(i64, 16)], ["inbounds"], "a3"));
    h.guard(lt, [s1, s2, d1, w]);
    const t = h.finish();
    expect(cse(t)).toBe(3); // a2, c2, s2
    expect(verifyTrace(t)).toEqual([]);
    expect(loopText(t)).toBe(
      "loop:\n" +
      "  %a1 = getelementptr inbounds i8, ptr %p, i64 8\n" +
      "  %x = load i8, ptr %a1, align 8\n" +
      "  %y = load i8, ptr %a1, align 8\n" +
      "  %c1 = icmp eq i8 %x, 3\n" +
      "  call void @ykts.guard(i1 %c1, i32 0) [ \"deopt\"(ptr %a1) ]\n" +
      "  call void @ykts.guard(i1 %c1, i32 1) [ \"deopt\"(i8 %y, ptr %a1) ]\n" +
      "  %s1 = add i64 %n, 1\n" +
      "  %d1 = sub i64 %n, 1\n" +
      "  %d2 = sub i64 1, %n\n" +
      "  %w = add nsw i64 %n, 1\n" +
      "  %lt = icmp slt i64 %n, 1\n" +
      "  store i64 %s1, ptr %a1\n" +
      "  %a3 = getelementptr inbounds i8, ptr %p, i64 16\n" +
      "  store i64 %d2, ptr %a3\n" +
      "  call void @ykts.guard(i1 %lt, i32 2) [ \"deopt\"(i64 %s1, i64 %s1, i64 %d1, i64 %w) ]\n" +
      "  br label %loop\n");
  });

  test("chains merge (a copy's users become copies), entry values serve the loop, the back edge takes the first", () => {
    const h = harness();
    const { b, p, n, entry, loop } = h;
    b.atEnd(entry);
    const e = b.mul(n, constInt(i64, 8), [], "e");
    b.atEnd(loop);
    const cnt = h.phi(h.mm, "cnt");
    const e2 = b.mul(n, constInt(i64, 8), [], "e2");                     // copy of the entry's e
    const g1 = b.gep(i8, p, [e], [], "g1");
    const g2 = b.gep(i8, p, [e2], [], "g2");                             // a copy once e2 is e
    const k1 = b.add(cnt.phi, e, [], "k1");
    const k2 = b.add(e2, cnt.phi, [], "k2");                             // commuted copy of k1
    cnt.back(k2);
    b.store(k1, g2);
    h.guard(b.icmp("ne", k2, constInt(i64, 0), "nz"), [g1, g2]);
    const t = h.finish();
    expect(cse(t)).toBe(3); // e2, g2, k2
    expect(verifyTrace(t)).toEqual([]);
    expect(loopText(t)).toBe(
      "loop:\n" +
      "  %cnt = phi i64 [ %m, %entry ], [ %k1, %loop ]\n" +
      "  %g1 = getelementptr i8, ptr %p, i64 %e\n" +
      "  %k1 = add i64 %cnt, %e\n" +
      "  store i64 %k1, ptr %g1\n" +
      "  %nz = icmp ne i64 %k1, 0\n" +
      "  call void @ykts.guard(i1 %nz, i32 0) [ \"deopt\"(ptr %g1, ptr %g1) ]\n" +
      "  br label %loop\n");
  });

  test("loads, calls and types: identical loads and opaque calls stay, the same bits in another type are not merged", () => {
    const h = harness();
    const { b, p, n, m } = h;
    const f = addFunction(m, "opaque", functionType(i64, [i64]));
    const l1 = b.load(i64, p, 8, "l1");
    const l2 = b.load(i64, p, 8, "l2");
    const c1 = b.call(f, [n], { name: "c1" });
    const c2 = b.call(f, [n], { name: "c2" });
    const t1 = b.cast("trunc", n, i32, "t1");
    const t2 = b.cast("trunc", n, i8, "t2");
    const z1 = b.cast("zext", t2, i64, "z1");
    const z2 = b.cast("zext", t2, i32, "z2");
    h.guard(b.icmp("eq", l1, l2, "q"), [c1, c2, t1, z1, z2]);
    h.guard(constInt(i1, 1), []);
    const t = h.finish();
    const before = printTrace(t);
    expect(cse(t)).toBe(0);
    expect(printTrace(t)).toBe(before);
  });

  test("entry checks follow a merged value", () => {
    const h = harness();
    const { b, n, entry } = h;
    b.atEnd(entry);
    const a = b.icmp("sgt", n, constInt(i64, 0), "a");
    const a2 = b.icmp("sgt", n, constInt(i64, 0), "a2");
    b.atEnd(h.loop);
    h.guard(a, []);
    const t = h.finish();
    t.entryChecks = [a2];
    expect(cse(t)).toBe(1);
    expect(t.entryChecks).toEqual([a]);
    expect(verifyTrace(t)).toEqual([]);
    expect(t.fn.blocks[0]!.instructions.includes(a2)).toBe(false);
  });
});
