// The forward-loads pass on hand-built traces: stored and loaded values
// reach later loads of the same address and size (through constant
// getelementptrs, across guards, stores elsewhere in the same object and
// calls that cannot write memory), and nothing is forwarded where memory
// may have changed: a store through a pointer that may alias, an opaque
// call or llvm.memcpy, an escaping alloca, a different size or type, a
// volatile access. Stores always stay (a deopt reads memory).
import { describe, expect, test } from "vitest";
import {
  IRBuilder, Instruction, addFunction, constFloat, constInt, constNull, floatType, functionType, i1, i8, i32, i64, ptr, structType, voidType,
} from "../../src/ykir/index.js";
import type { Value } from "../../src/ykir/index.js";
import { printTrace, type Trace } from "../../src/trace-ir/trace.js";
import { traceHarness } from "./opt-harness.js";
import { verifyTrace } from "../../src/trace-ir/verify.js";
import { run as forwardLoads, splitAddress } from "../../src/opt/forward-loads.js";

/**
 * A root trace over live struct { [16 x i8], ptr p (16), ptr q (24), i64 n (32) }:
 * entry loads %p, %q, %n; the test builds the loop with `b`; `guard` adds
 * a guard (frames: one slot per deopt value).
 */
function harness() {
  const h = traceHarness([{ name: "p", type: ptr }, { name: "q", type: ptr }, { name: "n", type: i64 }]);
  const at = (base: Value, off: number, name: string) => h.b.gep(i8, base, [constInt(i64, off)], ["inbounds"], name);
  return { ...h, p: h.live.p!, q: h.live.q!, n: h.live.n!, at };
}

/** The loop block as printTrace prints it. */
function loopText(t: Trace): string {
  const s = printTrace(t);
  return s.slice(s.indexOf("loop:\n"), s.indexOf("}\n"));
}

/** Runs the pass, checks the trace still verifies, and returns the loop before and after. */
function forward(t: Trace): { before: string; after: string; n: number } {
  const before = loopText(t);
  const n = forwardLoads(t);
  expect(verifyTrace(t)).toEqual([]);
  return { before, after: loopText(t), n };
}

describe("forward-loads: what is forwarded", () => {
  test("a stored type tag reaches the load that checks it (the guard then compares two constants)", () => {
    const h = harness();
    const { b, p } = h;
    b.store(constInt(i8, 3), h.at(p, 8, "tag"));
    const other = h.at(p, 8, "tag2");
    const t8 = b.load(i8, other, 8, "t8");
    h.guard(b.icmp("eq", t8, constInt(i8, 3), "ok"), [t8]);
    const { before, after, n } = forward(h.finish());
    expect(before).toContain("%t8 = load i8, ptr %tag2, align 8");
    expect(n).toBe(1);
    expect(after).toBe(
      "loop:\n" +
      "  %tag = getelementptr inbounds i8, ptr %p, i64 8\n" +
      "  store i8 3, ptr %tag\n" +
      "  %tag2 = getelementptr inbounds i8, ptr %p, i64 8\n" +
      "  %ok = icmp eq i8 3, 3\n" +
      "  call void @ykts.guard(i1 %ok, i32 0) [ \"deopt\"(i8 3) ]\n" +
      "  br label %loop\n");
  });

  test("an earlier load reaches a later one, through getelementptrs of different element types, across a guard", () => {
    const h = harness();
    const { b, p } = h;
    const tv = structType([i64, i8]);
    const a = b.load(i64, b.gep(tv, p, [constInt(i64, 2)], ["inbounds"], "slot2"), 8, "a");
    h.guard(b.icmp("ne", a, constInt(i64, 0), "nz"), [a]);
    const c = b.load(i64, b.gep(i8, h.at(p, 16, "s16"), [constInt(i64, 16)], [], "s32"), 8, "c");
    b.store(b.add(a, c, [], "sum"), h.at(h.q, 0, "dst"));
    const { after, n } = forward(h.finish());
    expect(n).toBe(1);
    expect(after).toContain("%sum = add i64 %a, %a\n");
    expect(after).not.toContain("%c = load");
  });

  test("stores to other bytes of the same base, guards and calls that cannot write memory do not stop it", () => {
    const h = harness();
    const { b, p, m } = h;
    const strlen = addFunction(m, "strlen", functionType(i64, [ptr]));
    strlen.fnAttrs = [{ kind: "memory", memory: { default: "read" } }];
    const pure = addFunction(m, "llvm.ctlz.i64", functionType(i64, [i64, i1]));
    b.store(h.n, h.at(p, 0, "v"));
    b.store(constInt(i8, 3), h.at(p, 8, "tg"));            // [8, 9): disjoint from [0, 8)
    b.store(constInt(i64, 7), h.at(p, 16, "next"));        // [16, 24)
    h.guard(b.icmp("sgt", h.n, constInt(i64, 0), "pos"), [h.n]);
    const len = b.call(strlen, [h.q], { name: "len" });
    b.call(pure, [len, constInt(i1, 0)], { name: "lz" });
    const v = b.load(i64, h.at(p, 0, "v2"), 8, "v2val");
    b.store(v, h.at(h.q, 8, "out"));
    const { after, n } = forward(h.finish());
    expect(n).toBe(1);
    expect(after).toContain("store i64 %n, ptr %out\n");
    expect(after).not.toContain("load");
  });

  test("a value stored as double is loaded as i64 through a bitcast", () => {
    const h = harness();
    const { b, p } = h;
    b.store(constFloat(floatType("double"), 1.5), h.at(p, 0, "d"));
    const bits = b.load(i64, h.at(p, 0, "d2"), 8, "bits");
    b.store(bits, h.q);
    const { after, n } = forward(h.finish());
    expect(n).toBe(1);
    expect(after).toMatch(/%\d+ = bitcast double 0x3FF8000000000000 to i64\n {2}store i64 %\d+, ptr %q\n/);
  });

  test("a non-escaping alloca keeps its value across a store through a loaded pointer; distinct allocas do not alias", () => {
    const h = harness();
    const { b, entry } = h;
    const eb = new IRBuilder().atEnd(entry);
    const a1 = eb.alloca(i64, 8, "a1");
    const a2 = eb.alloca(i64, 8, "a2");
    b.store(h.n, a1);
    b.store(constInt(i64, 5), h.q);          // q was loaded from memory: a1's address is nowhere in memory
    b.store(constInt(i64, 6), a2);
    const x = b.load(i64, a1, 8, "x");
    b.store(x, h.p);
    const { after, n } = forward(h.finish());
    expect(n).toBe(1);
    expect(after).toContain("store i64 %n, ptr %p\n");
  });

  test("the loop value of a phi follows a forwarded load", () => {
    const h = harness();
    const { b, p, loop, entry } = h;
    const phi = new Instruction("phi", i64, [h.n], "acc");
    phi.blocks = [entry];
    loop.append(phi);
    const next = b.add(phi, constInt(i64, 1), [], "next");
    b.store(next, p);
    const back = b.load(i64, p, 8, "back");
    phi.operands.push(back);
    phi.blocks.push(loop);
    const { after, n } = forward(h.finish());
    expect(n).toBe(1);
    expect(after).toContain("%acc = phi i64 [ %n, %entry ], [ %next, %loop ]\n");
  });
});

describe("forward-loads: what must not be forwarded", () => {
  const cases: [string, (h: ReturnType<typeof harness>) => void][] = [
    ["a store through a pointer that may alias (another loaded pointer)", (h) => { h.b.store(constInt(i8, 4), h.at(h.q, 8, "other")); }],
    ["an overlapping store of another size at the same base", (h) => { h.b.store(constInt(i64, 0), h.at(h.p, 4, "wide")); }],
    ["a call to an opaque function", (h) => { h.b.call(addFunction(h.m, "opaque", functionType(voidType, [])), []); }],
    ["llvm.memcpy", (h) => {
      const mc = addFunction(h.m, "llvm.memcpy.p0.p0.i64", functionType(voidType, [ptr, ptr, i64, i1]));
      h.b.call(mc, [h.q, h.q, constInt(i64, 16), constInt(i1, 0)]);
    }],
    ["a volatile store elsewhere", (h) => { const s = h.b.store(constInt(i64, 0), h.at(h.p, 64, "far")); s.flags = ["volatile"]; }],
  ];
  for (const [what, between] of cases)
    test(`store then load of p+8 with ${what} in between`, () => {
      const h = harness();
      const { b, p } = h;
      b.store(constInt(i8, 3), h.at(p, 8, "tag"));
      between(h);
      const t8 = b.load(i8, h.at(p, 8, "tag2"), 8, "t8");
      h.guard(b.icmp("eq", t8, constInt(i8, 3), "ok"), [t8]);
      const { before, after, n } = forward(h.finish());
      expect(n).toBe(0);
      expect(after).toBe(before);
    });

  test("different sizes at the same address (store i64, load i8), and pointer to integer", () => {
    const h = harness();
    const { b, p } = h;
    b.store(h.n, p);
    const lo = b.load(i8, h.at(p, 0, "lo"), 1, "lobyte");
    b.store(h.q, h.at(p, 8, "pp"));
    const asInt = b.load(i64, h.at(p, 8, "pp2"), 8, "asint");
    b.store(b.add(b.cast("zext", lo, i64, "lz"), asInt, [], "s"), h.q);
    const { before, after, n } = forward(h.finish());
    expect(n).toBe(0);
    expect(after).toBe(before);
  });

  test("volatile and atomic loads are neither replaced nor forwarded from", () => {
    const h = harness();
    const { b, p } = h;
    b.store(h.n, p);
    const v1 = b.load(i64, p, 8, "vol");
    v1.flags = ["volatile"];
    const v2 = b.load(i64, h.at(p, 0, "p0"), 8, "plain");   // the volatile load forgot everything
    const v3 = b.load(i64, h.at(p, 0, "p1"), 8, "acq");
    v3.flags = ["atomic"];
    v3.ordering = "acquire";
    b.store(b.add(b.add(v1, v2, [], "s1"), v3, [], "s2"), h.q);
    const { before, after, n } = forward(h.finish());
    expect(n).toBe(0);
    expect(after).toBe(before);
  });

  test("an alloca whose address escapes (stored to memory, or carried by a guard) may alias a loaded pointer", () => {
    for (const escape of ["store", "deopt"] as const) {
      const h = harness();
      const { b, entry } = h;
      const a = new IRBuilder().atEnd(entry).alloca(i64, 8, "a");
      if (escape === "store") b.store(a, h.at(h.p, 40, "keep"));
      else h.guard(b.icmp("ne", h.n, constInt(i64, 0), "c"), [a]);
      b.store(h.n, a);
      b.store(constInt(i64, 5), h.q);       // q might now be a
      const x = b.load(i64, a, 8, "x");
      b.store(x, h.at(h.p, 48, "out"));
      const { before, after, n } = forward(h.finish());
      expect(n).toBe(0);
      expect(after).toBe(before);
    }
  });

  test("stores stay: a guard between two stores to the same address deopts with the first one in memory", () => {
    const h = harness();
    const { b, p } = h;
    b.store(constInt(i64, 1), p);
    h.guard(b.icmp("sgt", h.n, constInt(i64, 0), "pos"), []);
    b.store(constInt(i64, 2), p);
    const x = b.load(i64, p, 8, "x");
    b.store(x, h.q);
    const { after, n } = forward(h.finish());
    expect(n).toBe(1);
    expect(after).toBe(
      "loop:\n" +
      "  store i64 1, ptr %p\n" +
      "  %pos = icmp sgt i64 %n, 0\n" +
      "  call void @ykts.guard(i1 %pos, i32 0) [ \"deopt\"() ]\n" +
      "  store i64 2, ptr %p\n" +
      "  store i64 2, ptr %q\n" +
      "  br label %loop\n");
  });
});

describe("addresses", () => {
  test("constant getelementptrs are stripped to base + offset; integer constant addresses share one base", () => {
    const h = harness();
    const { b, p } = h;
    const tv = structType([i64, i8]);
    const g = b.gep(tv, b.gep(i8, p, [constInt(i64, -4)]), [constInt(i64, 3), constInt(i32, 1)]);
    expect(splitAddress(g)).toEqual({ base: p, off: 3n * 16n + 8n - 4n });
    expect(splitAddress(b.gep(i8, p, [h.n])).off).toBe(0n);
    expect(splitAddress(constNull()).base).toBe(splitAddress(b.gep(i8, constNull(), [constInt(i64, 1)])).base);
  });
});
