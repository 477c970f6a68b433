// The dce pass on hand-built traces: unused pure instructions, plain loads,
// pure intrinsic calls and dead loop-phi cycles go, in both blocks; what is
// used by a deopt bundle, an entry check or anything that stays, and
// whatever has an effect (stores, guards, opaque calls, volatile loads, a
// memory(none) function that may not return) stays.
import { describe, expect, test } from "vitest";
import { IRBuilder, addFunction, constInt, functionType, i1, i8, i64 } from "../../src/ykir/index.js";
import { printTrace, type Trace } from "../../src/trace-ir/trace.js";
import { pnmHarness } from "./opt-harness.js";
import { verifyTrace } from "../../src/trace-ir/verify.js";
import { run as dce } from "../../src/opt/dce.js";

const harness = pnmHarness;

function text(t: Trace): string {
  const s = printTrace(t);
  return s.slice(s.indexOf("entry:\n"), s.indexOf("}\n"));
}

describe("dce", () => {
  test("unused arithmetic, addresses, loads and pure intrinsics go (in entry too); deopt values, stores and guards stay", () => {
    const h = harness();
    const { b, p, m } = h;
    const ctlz = addFunction(m, "llvm.ctlz.i64", functionType(i64, [i64, i1]));
    const a = b.gep(i8, p, [constInt(i64, 8)], ["inbounds"], "a");
    const x = b.load(i64, a, 8, "x");                          // feeds only dead code
    const y = b.add(x, constInt(i64, 1), [], "y");
    b.call(ctlz, [y, constInt(i1, 0)], { name: "lz" });
    const kept = b.sub(h.n, constInt(i64, 1), [], "kept");    // only a deopt value
    h.guard(b.icmp("ne", h.n, constInt(i64, 0), "c"), [kept]);
    b.store(h.n, b.gep(i8, p, [constInt(i64, 16)], [], "out"));
    const t = h.finish();
    expect(dce(t)).toBe(6); // a, x, y, lz; m and its address in entry
    expect(verifyTrace(t)).toEqual([]);
    expect(text(t)).toBe(
      "entry:\n" +
      "  %p.addr = getelementptr inbounds i8, ptr %live, i64 16\n" +
      "  %p = load ptr, ptr %p.addr\n" +
      "  %n.addr = getelementptr inbounds i8, ptr %live, i64 24\n" +
      "  %n = load i64, ptr %n.addr\n" +
      "  br label %loop\n\n" +
      "loop:\n" +
      "  %kept = sub i64 %n, 1\n" +
      "  %c = icmp ne i64 %n, 0\n" +
      "  call void @ykts.guard(i1 %c, i32 0) [ \"deopt\"(i64 %kept) ]\n" +
      "  %out = getelementptr i8, ptr %p, i64 16\n" +
      "  store i64 %n, ptr %out\n" +
      "  br label %loop\n");
  });

  test("a loop phi used only by its own next value goes with it; a phi a guard carries stays", () => {
    const h = harness();
    const { b } = h;
    const dead = h.phi(h.n, "dead");
    const live = h.phi(h.mm, "cnt");
    const dn = b.add(dead.phi, constInt(i64, 2), [], "dn");
    dead.back(dn);
    const ln = b.add(live.phi, constInt(i64, 1), [], "ln");
    live.back(ln);
    h.guard(b.icmp("slt", ln, constInt(i64, 10), "lt"), [live.phi]);
    const t = h.finish();
    expect(dce(t)).toBe(6); // dead, dn, and the loads of n and p with their addresses
    expect(verifyTrace(t)).toEqual([]);
    const s = text(t);
    expect(s).not.toMatch(/%dead|%dn|%n\b/);
    expect(s).toContain("%cnt = phi i64 [ %m, %entry ], [ %ln, %loop ]\n");
  });

  test("what stays although unused: volatile loads, opaque calls, memory(none) calls that may not return, values of entry checks", () => {
    const h = harness();
    const { b, p, m, entry } = h;
    const v = b.load(i64, p, 8, "vol");
    v.flags = ["volatile"];
    const opaque = addFunction(m, "opaque", functionType(i64, []));
    b.call(opaque, [], { name: "o" });
    const nowrite = addFunction(m, "nowrite", functionType(i64, []));
    nowrite.fnAttrs = [{ kind: "memory", memory: { default: "none" } }, { kind: "nounwind" }];   // no willreturn
    b.call(nowrite, [], { name: "nw" });
    const pure = addFunction(m, "pure", functionType(i64, []));
    pure.fnAttrs = [{ kind: "memory", memory: { default: "none" } }, { kind: "nounwind" }, { kind: "willreturn" }];
    b.call(pure, [], { name: "gone" });
    const eb = new IRBuilder().atEnd(entry);
    const chk = eb.icmp("eq", h.n, h.mm, "chk");
    const t = h.finish();
    t.entryChecks = [chk];
    const before = text(t);
    expect(dce(t)).toBe(1);
    expect(verifyTrace(t)).toEqual([]);
    expect(text(t)).toBe(before.replace("  %gone = call i64 @pure()\n", ""));
  });
});
