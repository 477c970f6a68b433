// The reference evaluator as the oracle of the trace passes: traces built
// from real recordings of the test/c interpreters (test/trace/recorded-traces.ts)
// are run by the evaluator before and after each pass of src/opt/ (in
// PASSES order, each on the output of the ones before) on the same inputs,
// and must agree on the outcome (which guard fails, at which iteration,
// with which deopt values; or all iterations run), the memory they write,
// and the calls they make. The inputs: the live struct with pointers to
// regions of their own or into a small pool of aliasing addresses, and
// memory that reads pseudo-random bytes, steered (steerInputs) so that
// successive inputs fail successive guards, through several iterations.
import { beforeAll, describe, expect, test } from "vitest";
import { ensureBuilt } from "../cc/helpers.js";
import { recordProgram, traceOf, type RecordedProgram } from "./recorded-traces.js";
import { PASSES } from "../../src/opt/index.js";
import { verifyTrace } from "../../src/trace-ir/verify.js";
import {
  AllocaAddresses, evalTrace, liveInput, observable, steerInputs, type EvalTraceOptions, type TraceInput, type TraceResult,
} from "../../src/trace-ir/eval-trace.js";
import { opaqueModel } from "../../src/ykir/eval.js";
import type { Trace } from "../../src/trace-ir/trace.js";

const PROGRAMS: { file: string; args: string[]; env: Record<string, string> }[] = [
  { file: "stack_vm.c", args: ["1000"], env: { YKTS_HOT_THRESHOLD: "5" } },
  { file: "bf.c", args: [], env: { YKTS_HOT_THRESHOLD: "3" } },
  { file: "side_trace.c", args: [], env: { YKTS_HOT_THRESHOLD: "3", YKTS_SIDETRACE_THRESHOLD: "2" } },
  { file: "deep_guard.c", args: ["2000", "700"], env: { YKTS_HOT_THRESHOLD: "3" } },
  { file: "nested_loops.c", args: [], env: { YKTS_HOT_THRESHOLD: "3", YKTS_SIDETRACE_THRESHOLD: "6" } },
  { file: "callback.c", args: ["300"], env: { YKTS_HOT_THRESHOLD: "2" } },
  { file: "cgoto.c", args: ["300"], env: { YKTS_HOT_THRESHOLD: "4" } },
  { file: "promote.c", args: ["1000"], env: { YKTS_HOT_THRESHOLD: "5", YKTS_SIDETRACE_THRESHOLD: "0" } },
  { file: "tagged.c", args: ["1000"], env: { YKTS_HOT_THRESHOLD: "5" } },
];

const model = opaqueModel();
const opts = (allocas: AllocaAddresses): EvalTraceOptions => ({ maxIterations: 3, externals: () => model, allocas, fuel: 2_000_000 });

/** Inputs that reach many places of the trace: steered from 2 seeds in each memory mode, thinned out to about 8 per start. */
function designInputs(t: Trace): TraceInput[] {
  const out: TraceInput[] = [];
  for (const mode of ["wide", "pool"] as const)
    for (const seed of [1, 2]) {
      const { inputs } = steerInputs(t, liveInput(t, seed, mode), opts(new AllocaAddresses()), 60);
      const step = Math.max(1, Math.ceil(inputs.length / 8));
      inputs.forEach((x, k) => { if (k % step === 0 || k === inputs.length - 1) out.push(x); });
    }
  return out;
}

let programs: RecordedProgram[] = [];
beforeAll(async () => {
  ensureBuilt();
  programs = await Promise.all(PROGRAMS.map((p) => recordProgram(p.file, p.args, p.env)));
}, 300_000);

describe("the passes against the reference evaluator, on traces of real recordings", () => {
  test("every program gave recordings", () => {
    for (const p of programs) expect(p.recordings.length, p.exe).toBeGreaterThan(0);
    // nested_loops' outer loop: a root trace that runs once and hands over to an inner loop's trace.
    expect(programs.some((p) => p.recordings.some((r) => r.rec.exitsToLoc))).toBe(true);
  });

  test("each pass keeps outcomes, deopt values, memory and calls", () => {
    const report: string[] = [];
    const total = new Map<string, number>();
    let outcomes = 0;
    for (const p of programs)
      for (const r of p.recordings) {
        // Inputs designed on the fully optimised trace (so that a derived
        // trace's entry checks hold), used on every stage.
        const t0 = performance.now();
        const opt = traceOf(p.view, r);
        for (const pass of PASSES) pass.run(opt);
        const inputs = designInputs(opt);
        const t1 = performance.now();
        const t = traceOf(p.view, r);
        const allocas = new AllocaAddresses();
        const runAll = (): TraceResult[] => inputs.map((x) => evalTrace(t, x, opts(allocas)));
        const changed: string[] = [];
        let before = runAll();
        const kinds = new Set(before.map((x) => `${x.outcome.kind}:${"guard" in x.outcome ? x.outcome.guard : ""}`));
        for (const pass of PASSES) {
          const n = pass.run(t);
          expect(verifyTrace(t)).toEqual([]);
          const after = runAll();
          for (let k = 0; k < inputs.length; k++)
            expect(observable(after[k]!), `${r.name}: ${pass.name} (changed ${n}), input ${k}`).toEqual(observable(before[k]!));
          before = after;
          changed.push(`${pass.name}=${n}`);
          total.set(pass.name, (total.get(pass.name) ?? 0) + n);
        }
        report.push(`${r.name}: ${inputs.length} inputs, ${kinds.size} outcomes, steer ${(t1 - t0).toFixed(0)} ms, compare ${(performance.now() - t1).toFixed(0)} ms, ${changed.join(" ")}: ${[...kinds].slice(0, 3).join("; ")}`);
        outcomes += kinds.size;
      }
    console.log(report.join("\n"));
    // Not vacuous: these passes changed the traces compared (derive-loop-phis
    // finds nothing to derive in these programs' traces), and the inputs
    // reached many different places.
    for (const name of ["fold-invariant-phis", "forward-loads", "fold-guards", "dce"]) expect(total.get(name), name).toBeGreaterThan(0);
    expect(outcomes).toBeGreaterThan(3 * programs.length);
  });
});
