// The promote-slots pass on hand-built traces: a slot the loop reads and
// writes through an invariant base stays in a register (its stores leave
// the loop, its first load of an iteration becomes `select %first, load,
// phi`), every guard's exit stores what memory lacks ("ykts.stores"), a
// load that may alias a slot gets it stored first, and the reference
// evaluator sees the same outcomes and memory before and after the pass,
// at a guard failing in the first or a later iteration and at a loop
// stopped at its top. A store through a pointer that may alias, or a call
// that may write memory, leaves the loop as it was.
import { describe, expect, test } from "vitest";
import { constInt, functionType, i8, i64, ptr, addFunction } from "../../src/ykir/index.js";
import type { Value } from "../../src/ykir/index.js";
import { printTrace, type Trace } from "../../src/trace-ir/trace.js";
import { traceHarness } from "./opt-harness.js";
import { verifyTrace } from "../../src/trace-ir/verify.js";
import { run as promote } from "../../src/opt/promote-slots.js";
import { AllocaAddresses, evalTrace, liveInput, observable, steerInputs } from "../../src/trace-ir/eval-trace.js";
import { opaqueModel } from "../../src/ykir/eval.js";

/** Live struct { [16 x i8], ptr p (16), ptr q (24), i64 n (32) }; `at(base, off)` is `getelementptr i8, base, off`. */
function harness() {
  const h = traceHarness([{ name: "p", type: ptr }, { name: "q", type: ptr }, { name: "n", type: i64 }]);
  const at = (base: Value, off: number, name: string) => h.b.gep(i8, base, [constInt(i64, off)], ["inbounds"], name);
  return { ...h, p: h.live.p!, q: h.live.q!, n: h.live.n!, at };
}

const loopText = (t: Trace) => { const s = printTrace(t); return s.slice(s.indexOf("loop:\n"), s.indexOf("}\n")); };

/** A counter slot at p+0 and its tag at p+8, the interpreter's way: load, check, add, store both. */
function counter(extra?: (h: ReturnType<typeof harness>) => void): Trace {
  const h = harness();
  const { b, p } = h;
  const tagp = h.at(p, 8, "tagp");
  const tag = b.load(i8, tagp, 8, "tag");
  h.guard(b.icmp("eq", tag, constInt(i8, 3), "isint"), [tag]);
  const vp = h.at(p, 0, "vp");
  const v = b.load(i64, vp, 8, "v");
  h.guard(b.icmp("slt", v, h.n, "more"), [v]);
  extra?.(h);
  const v1 = b.add(v, constInt(i64, 1), [], "v1");
  b.store(v1, vp, 8);
  b.store(constInt(i8, 3), tagp, 8);
  return h.finish();
}

const model = opaqueModel();
const opts = () => ({ maxIterations: 4, externals: () => model, allocas: new AllocaAddresses(), fuel: 100_000 });

/** The outcomes and memory of both traces agree on inputs steered through each guard of the unoptimised one. */
function sameBehaviour(make: () => Trace): { kinds: Set<string> } {
  const before = make();
  const after = make();
  promote(after);
  expect(verifyTrace(after)).toEqual([]);
  const kinds = new Set<string>();
  for (const mode of ["wide", "pool"] as const)
    for (const seed of [1, 2, 3]) {
      const { inputs } = steerInputs(before, liveInput(before, seed, mode), opts(), 30);
      for (const x of inputs) {
        const r0 = evalTrace(before, x, opts()), r1 = evalTrace(after, x, opts());
        expect(observable(r1)).toEqual(observable(r0));
        kinds.add(r0.outcome.kind === "guard" ? `guard@${r0.outcome.iteration}` : r0.outcome.kind);
      }
    }
  return { kinds };
}

describe("promote-slots", () => {
  test("a counter and its tag stay in registers; guards store them on the way out", () => {
    const t = counter();
    const n = promote(t);
    expect(verifyTrace(t)).toEqual([]);
    expect(n).toBeGreaterThan(0);
    const loop = loopText(t);
    expect(loop).not.toContain("store ");
    expect(loop).toContain("%first = phi i1 [ true, %entry ], [ false, %loop ]");
    expect(loop).toMatch(/select i1 %first, i64 %v, i64 %\d+/);
    // Before the counter's first load the exit stores through the scratch-or-slot select.
    expect(loop).toMatch(/call void @ykts\.guard\(i1 %isint, i32 0\) \[ "deopt"\(i8 %\d+\), "ykts\.stores"\(/);
    expect(printTrace(t)).toContain("; promoted: 1 memory slots kept in registers");
  });

  test("the evaluator sees the same outcomes and memory, in the first iteration and later ones", () => {
    const { kinds } = sameBehaviour(() => counter());
    expect(kinds.has("iterations")).toBe(true);
    expect([...kinds].some((k) => k.startsWith("guard@") && k !== "guard@0")).toBe(true);
    expect(kinds.has("guard@0")).toBe(true);
  });

  test("a load that may alias a slot gets the slot stored before it", () => {
    const make = () => counter((h) => {
      const w = h.b.load(i64, h.q, 8, "w");
      h.guard(h.b.icmp("ne", w, constInt(i64, 7), "not7"), [w]);
    });
    const t = make();
    promote(t);
    const loop = loopText(t);
    const at = loop.indexOf("%w = load i64, ptr %q");
    expect(at).toBeGreaterThan(0);
    // The counter (stored by the previous iteration, or not yet loaded) and its tag go to memory first.
    expect(loop.slice(0, at).match(/^  store /gm)?.length).toBe(2);
    expect(loop.slice(at)).not.toMatch(/^  store /m);
    sameBehaviour(make);
  });

  test("a store through a pointer that may alias, or an opaque call, leaves the loop alone", () => {
    const aliasing = counter((h) => { h.b.store(constInt(i64, 5), h.q, 8); });
    expect(promote(aliasing)).toBe(0);
    expect(loopText(aliasing)).toContain("store i64 %v1, ptr %vp");
    const calls = counter((h) => {
      const f = addFunction(h.m, "opaque", functionType(i64, []));
      h.b.call(f, []);
    });
    expect(promote(calls)).toBe(0);
    expect(loopText(calls)).not.toContain("%first");
  });
});

describe("YKTS_OPT", () => {
  test("promote-slots is off unless +promote-slots; -name switches the others off", async () => {
    const { optDisabled } = await import("../../src/opt/index.js");
    expect(optDisabled(undefined).has("promote-slots")).toBe(true);
    expect(optDisabled("").has("cse")).toBe(false);
    expect(optDisabled("+promote-slots").has("promote-slots")).toBe(false);
    expect([...optDisabled("-cse,+promote-slots")].sort()).toEqual(["cse"]);
  });
});
