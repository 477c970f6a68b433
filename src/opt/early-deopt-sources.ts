// Pass: name the deopt values that need no register as early as possible.
//
// A guard's frames hold a slot for every value live at its resume point:
// for an interpreter's dispatch loop that is a couple of hundred per guard
// (minilua: 214), nearly all of them values that enter the trace and never
// change. Each one is a "deopt" bundle operand until the deopt table names
// it instead (src/codegen/deopt-sources.ts), and until then every pass,
// the verifier included, walks them: nbody's first trace carries 22,199
// bundle values after fold-invariant-phis and 172 after sources are chosen.
// This pass chooses them for the values that are already final: entry
// loads of the live struct (source 1) and integer, null and promoted
// pointer constants (source 2), so that the later passes see only the rest.
// The sources chosen after the passes (codegen) find what they made
// constant or forwarded, and the derived addresses (source 3).
//
// Assumes: a verified trace; runs after fold-invariant-phis (which turns
// the invariant phis into their entry loads).
// Guarantees: a slot leaves the bundle only for a source the runtime fills
// with the same value the bundle would have carried (the live struct is
// written by the runtime alone, never while a trace runs; a constant is
// itself); the bundle keeps the other values in slot order. Nothing else
// changes.
import { assignDeoptSources } from "../codegen/deopt-sources.js";
import { isGuard } from "../trace-ir/trace.js";
import type { Trace } from "../trace-ir/trace.js";

export const name = "early-deopt-sources";

export function run(t: Trace): number {
  const count = () => t.fn.blocks[1]!.instructions.reduce((n, i) => n + (isGuard(i) ? i.bundles?.[0]?.values.length ?? 0 : 0), 0);
  const before = count();
  assignDeoptSources(t, { derived: false });
  return before - count();
}
