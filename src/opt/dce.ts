// Pass: remove instructions whose results nothing uses.
//
// After forward-loads and fold-guards a trace is full of address
// arithmetic, loads and compares that only fed a load that was forwarded
// or a guard that was removed; the entry block loads every live value of
// the site whether the loop reads it or not.
//
// Assumes: a verified trace (src/trace-ir/trace.ts), root or side.
// Guarantees: an instruction is removed only when its result has no use
// left (operands, bundle values, debug records, `Trace.entryChecks`, `Trace.promoted`
// all count; uses by removed instructions do not) and it has no effect
// other than its result: pure arithmetic, casts, compares, getelementptr,
// select, freeze, static allocas, phis, non-volatile non-atomic loads, and
// calls that are known to neither touch memory nor fail to return (the
// pure intrinsics below, or a function marked memory(none), nounwind and
// willreturn). A removed load changes no result: the trace loads only what
// the recording loaded, so the load did not fault there, and removing a
// load never faults. Stores, guards, other calls, volatile or atomic
// accesses, fences and terminators always stay. Liveness is computed by
// marking from everything that stays, so dead cycles (a loop phi whose only
// use is the instruction computing its next value, which uses the phi) go
// in one run: the result is the fixed point of deleting unused removable
// instructions. Nothing is reordered.
import { Function as YFunction, Instruction, allFnAttrs, findAttr, forEachUse, memoryEffects } from "../ykir/index.js";
import type { Value } from "../ykir/index.js";
import type { Trace } from "../trace-ir/trace.js";

export const name = "dce";

/**
 * LLVM intrinsics that are `memory(none) nounwind willreturn` (LLVM 19's
 * Intrinsics.td): integer and floating-point math, overflow arithmetic,
 * llvm.expect. A name matches with its type suffixes (`llvm.ctlz.i32`).
 */
const PURE_INTRINSIC = new RegExp(
  "^llvm\\.(" + [
    "abs", "smax", "smin", "umax", "umin", "scmp", "ucmp", "ctlz", "cttz", "ctpop", "bswap", "bitreverse", "fshl", "fshr",
    "fabs", "sqrt", "floor", "ceil", "trunc", "round", "roundeven", "rint", "nearbyint", "copysign", "minnum", "maxnum",
    "minimum", "maximum", "fma", "fmuladd", "sin", "cos", "exp", "exp2", "exp10", "log", "log2", "log10", "pow", "powi",
    "ldexp", "frexp", "lround", "llround", "lrint", "llrint", "is\\.fpclass", "canonicalize",
    "[su](add|sub|mul)\\.with\\.overflow", "[su](add|sub|shl)\\.sat", "expect", "expect\\.with\\.probability",
  ].join("|") + ")(\\.|$)",
);

/** The called function, when the callee is a named function (not a pointer or inline asm). */
function calledFunction(i: Instruction): YFunction | undefined {
  const c = i.callee;
  return c instanceof YFunction && c.name !== null ? c : undefined;
}

/** A call that neither reads nor writes memory and always returns normally: removable when unused. */
export function isPureCall(i: Instruction): boolean {
  if (i.opcode !== "call" || i.bundles?.length) return false;
  const f = calledFunction(i);
  if (!f) return false;
  if (f.name!.startsWith("llvm.")) return PURE_INTRINSIC.test(f.name!);
  const site = allFnAttrs(i), decl = allFnAttrs(f);
  const none = (m: ReturnType<typeof memoryEffects>) =>
    m.default === "none" && (m.argmem ?? "none") === "none" && (m.inaccessiblemem ?? "none") === "none";
  const has = (k: string) => !!(findAttr(site, k) ?? findAttr(decl, k));
  return (none(memoryEffects(site)) || none(memoryEffects(decl))) && has("nounwind") && has("willreturn") && !has("returns_twice");
}

function removable(i: Instruction): boolean {
  if (i.isTerminator) return false;
  switch (i.opcode) {
    case "phi": case "freeze": return true;
    case "alloca": return i.operands.length === 0;
    case "load": return !i.hasFlag("volatile") && !i.hasFlag("atomic") && !i.ordering;
    case "call": return isPureCall(i);
    default: return i.info.pure && !i.info.mayRead && !i.info.mayWrite && !i.info.sideEffects;
  }
}

export function run(t: Trace): number {
  const live = new Set<Instruction>();
  const work: Instruction[] = [];
  const mark = (v: Value) => {
    if (v instanceof Instruction && !live.has(v)) { live.add(v); work.push(v); }
  };
  for (const b of t.fn.blocks) for (const i of b.instructions) if (!removable(i)) mark(i);
  for (const c of t.entryChecks ?? []) mark(c);
  for (const p of t.promoted ?? []) { mark(p.addr); mark(p.phi); }
  while (work.length) forEachUse(work.pop()!, mark);
  let n = 0;
  for (const b of t.fn.blocks) {
    const keep = b.instructions.filter((i) => live.has(i));
    n += b.instructions.length - keep.length;
    b.instructions = keep;
  }
  return n;
}
