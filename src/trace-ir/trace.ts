// Trace IR: what the trace builder produces, the optimiser rewrites and the
// code generators consume.
//
// A trace is an ykir function `i64 @S(ptr %live)` in a module of its own,
// with exactly two blocks (a side trace's and an `exitsToLoc` root trace's
// second block does not loop: see `Trace.side`, `Trace.exitsToLoc`):
//   entry: loads the control-point site's live values from the live struct
//          (static allocas of inlined frames live here too), `br label %loop`;
//   loop:  one phi per live value (entry value, value at the end of the
//          iteration), the iteration as straight-line code, `br label %loop`.
// Guards are calls of the pseudo function `@ykts.guard(i1 %cond, i32 <id>)`
// with a "deopt" operand bundle holding the values of the guard's frames
// (docs/traces.md §2); the guard says "cond is true here, otherwise leave".
// Keeping the deopt values as operands means every generic walk (use lists,
// dead-code elimination, the printer) sees them. The frames themselves (which
// function, which resume point, where each value goes) are `guards[id]`.
//
// The textual form is the ykir printer's output of the function, followed
// by one comment line per guard naming its frames (printTrace).
import type { Function, Instruction, Module, Type, Value } from "../ykir/index.js";
import { printFunction, Function as YFunction, constInt, i1 } from "../ykir/index.js";

const constTrue = () => constInt(i1, 1n);

export const GUARD_FN = "ykts.guard";
/**
 * `i1 @ykts.upgrade_check()`: the condition of a root trace's first guard
 * when the trace may be upgraded from the fast tier to the LLVM tier
 * (docs/traces.md §7). True for the LLVM tier; the fast tier asks the
 * runtime every so many iterations whether the trace has been replaced.
 */
export const UPGRADE_CHECK_FN = "ykts.upgrade_check";

/**
 * Where a value of a resumed frame goes (offset and size in the frame's
 * buffer) and where it comes from (docs/traces.md §3): source 0, the guard's
 * next deopt value; 1, the live struct at `payload`; 2, the constant
 * `payload`; 3, the pointer in this buffer at offset `payload >> 32` plus
 * the signed 32-bit `payload & 0xffffffff`. The builder makes every slot source 0; codegen picks the others.
 */
export interface DeoptSlot { offset: number; size: number; source: 0 | 1 | 2 | 3; payload: bigint }

/** Where a guard's frame resumes and where its values go in the resume buffer. */
export interface GuardFrame {
  /** ykir name of the function (its descriptor's name). */
  fn: string;
  /** Resume point id (docs/retrofit-abi.md §4). */
  resumePoint: number;
  /** Kind of that point, for logs and tests. */
  kind: string;
  /** Size of the function's clone frame struct in bytes. */
  bufSize: number;
  /** One slot per live value of the resume point, in the point's order. */
  slots: DeoptSlot[];
}

export interface GuardInfo {
  id: number;
  /** Base frame first, innermost last. */
  frames: GuardFrame[];
  /** What the guard checks, e.g. `br interp#4 -> 5`, for logs. */
  what: string;
}

/**
 * What a side trace returns when it reached the root trace's control point:
 * it has written the live values into the live struct, and the root trace
 * starts its loop again from them (docs/traces.md §6).
 */
export const SIDE_RESTART = -2n;

/** Where a side trace starts: a guard of a parent trace (docs/traces.md §6). */
export interface SideStart {
  /** The parent trace's symbol and the guard whose failures it replaces. */
  parent: string;
  guard: number;
  /**
   * The guard's frames as the parent's code generator left them (sources
   * chosen): the side trace takes the source-0 values as its parameters,
   * after the live struct, and rebuilds the others as the runtime would.
   */
  frames: GuardFrame[];
  /**
   * Whether the recording ended at the root trace's location (the side
   * trace returns SIDE_RESTART) or at another location that has a trace
   * (it returns the control-point site, and the interpreter goes on there).
   */
  endsAtRoot: boolean;
}

export interface Trace {
  /** The symbol of the compiled trace. */
  name: string;
  /** Set for a side trace: its function is `i64 @S(ptr %live, <source-0 values>)`, its second block does not loop but stores the live values and returns SIDE_RESTART. */
  side?: SideStart;
  /**
   * Set for a root trace that does not loop (docs/traces.md §6): its
   * recording stopped at a control point of another location that has a
   * trace (an outer loop around a traced inner loop). Its second block has
   * no phis; it stores the live values, names that location in
   * `@__ykts_stopped_loc` and returns the site, and the runtime enters the
   * other location's trace.
   */
  exitsToLoc?: boolean;
  startFn: string;
  site: number;
  /** Types of the site's live values, their offsets in the live struct, and its size. */
  liveTypes: Type[];
  liveOffsets: number[];
  liveSize: number;
  module: Module;
  fn: Function;
  guards: GuardInfo[];
  /** Length of the recording the trace was built from (blocks). */
  recordedBlocks: number;
  /**
   * Conditions computed in the entry block that must all hold for the loop
   * to run (a pass relies on them); when one does not, the trace returns
   * its site at once, having done nothing.
   */
  entryChecks?: Value[];
  /**
   * Memory slots the loop keeps in registers (src/opt/promote-slots.ts):
   * each one's address (computed in entry) and the loop phi that carries
   * its value. Guards write them on the way out ("ykts.stores" bundles);
   * a loop stopped at its top would write each phi's value from the loop.
   */
  promoted?: { addr: Value; phi: Instruction }[];
  /** promote-slots' write-only scratch word in entry (exit stores of the first iteration go there). */
  promotedScratch?: Instruction;
  /** The guard on `@ykts.upgrade_check()` at the loop head, if the builder made one. */
  upgradeGuard?: number;
}

/** Whether the trace's second block loops (a root trace's that closes its loop) or ends in `ret`. */
export function loops(t: Trace): boolean {
  return !t.side && !t.exitsToLoc;
}

export function isUpgradeCheck(i: Instruction): boolean {
  return i.opcode === "call" && i.callee instanceof YFunction && i.callee.name === UPGRADE_CHECK_FN;
}

/**
 * For the LLVM tier: the upgrade check's condition becomes `true` and the
 * pseudo call goes (the guard then never fails; its entry in the deopt
 * table stays, so both tiers' tables are the same bytes).
 */
export function dropUpgradeCheck(t: Trace): void {
  const isTrue = constTrue();
  for (const b of t.fn.blocks) {
    const calls = new Set(b.instructions.filter(isUpgradeCheck));
    if (!calls.size) continue;
    b.instructions = b.instructions.filter((i) => !calls.has(i));
    for (const bb of t.fn.blocks)
      for (const i of bb.instructions) i.operands = i.operands.map((o) => (calls.has(o as Instruction) ? isTrue : o));
  }
  t.module.functions = t.module.functions.filter((f) => f.name !== UPGRADE_CHECK_FN);
}

export function isGuard(i: Instruction): boolean {
  return i.opcode === "call" && i.callee instanceof YFunction && i.callee.name === GUARD_FN;
}

export function guardId(i: Instruction): number {
  const c = i.operands[1] as unknown as { value: bigint };
  return Number(c.value);
}

/** A guard's exit stores (promote-slots): address, value, address, value, ... */
export function guardStores(i: Instruction): Value[] {
  return i.bundles?.find((b) => b.tag === "ykts.stores")?.values ?? [];
}

export function guardValues(i: Instruction): Value[] {
  return i.bundles?.find((b) => b.tag === "deopt")?.values ?? [];
}

export function printTrace(t: Trace): string {
  const lines = [printFunction(t.fn, t.module).trimEnd()];
  for (const g of t.guards) {
    const frames = g.frames.map((f) => `${f.fn}@${f.kind}${f.resumePoint}(${f.slots.length})`).join(" > ");
    lines.push(`; guard ${g.id}: ${g.what}; frames ${frames}`);
  }
  if (t.exitsToLoc) lines.push("; runs once: ends at a control point of another location, which has a trace");
  if (t.promoted?.length) lines.push(`; promoted: ${t.promoted.length} memory slots kept in registers (guards store them on the way out: "ykts.stores")`);
  if (t.entryChecks?.length) lines.push(`; entry checks: ${t.entryChecks.length} conditions computed in entry (the trace returns at once when one fails)`);
  return lines.join("\n") + "\n";
}
