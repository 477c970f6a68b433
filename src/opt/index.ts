// The trace optimiser's passes, in the order they run. Each one is a file
// of its own with a header saying what it assumes and guarantees; each can
// be switched off by name with YKTS_OPT=-name (docs/traces.md).
import type { Trace } from "../trace-ir/trace.js";
import * as foldInvariantPhis from "./fold-invariant-phis.js";
import * as deriveLoopPhis from "./derive-loop-phis.js";

export interface Pass { name: string; run(t: Trace): number; }

export const PASSES: Pass[] = [foldInvariantPhis, deriveLoopPhis];
