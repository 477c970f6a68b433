// The trace optimiser's passes, in the order they run. Each one is a file
// of its own with a header saying what it assumes and guarantees; each can
// be switched off by name with YKTS_OPT=-name (docs/traces.md).
//
// early-deopt-sources takes the values that enter the trace unchanged out
// of the guards' bundles before the other passes walk them.
// forward-loads runs after the phi passes: an invariant phi becomes its
// entry value and derived phis become `getelementptr P0, C`, so more
// addresses share a base it can compare. cse then merges the copies of
// address arithmetic and of compares whose loads forwarding made one
// value; fold-guards folds what forwarding made constant and drops the
// guards that cannot fail (a guard on a condition cse made the same as an
// earlier guard's among them); promote-slots (off by default) then keeps
// the slots the loop carries round in registers, written only where the
// trace leaves; dce removes what they left unused.
import type { Trace } from "../trace-ir/trace.js";
import * as foldInvariantPhis from "./fold-invariant-phis.js";
import * as deriveLoopPhis from "./derive-loop-phis.js";
import * as earlyDeoptSources from "./early-deopt-sources.js";
import * as forwardLoads from "./forward-loads.js";
import * as cse from "./cse.js";
import * as foldGuards from "./fold-guards.js";
import * as promoteSlots from "./promote-slots.js";
import * as dce from "./dce.js";

export interface Pass {
  name: string;
  run(t: Trace): number;
  /** Off unless YKTS_OPT=+name switches it on (measured not to pay yet; the oracle tests run it all the same). */
  defaultOff?: boolean;
}

export const PASSES: Pass[] = [foldInvariantPhis, deriveLoopPhis, earlyDeoptSources, forwardLoads, cse, foldGuards, promoteSlots, dce];

/**
 * The passes YKTS_OPT switches off: `-name` switches a pass off, `+name`
 * on one that is off by default (`defaultOff`), in a comma-separated list.
 */
export function optDisabled(spec: string | undefined): Set<string> {
  const items = (spec ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const on = new Set(items.filter((s) => s.startsWith("+")).map((s) => s.slice(1)));
  const off = new Set(items.filter((s) => s.startsWith("-")).map((s) => s.slice(1)));
  for (const p of PASSES) if (p.defaultOff && !on.has(p.name)) off.add(p.name);
  return off;
}
