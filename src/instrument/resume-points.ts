// Finds, in one uninstrumented function, its control-point sites and the
// points where a traced clone of it can be resumed (docs/retrofit-abi.md §4),
// each with the values live there in a fixed order.
//
// Resume point ids: control-point site k is k + 1; then, in block order,
// the guardable terminators (`term`), the calls a trace may inline (`after`),
// and indirect calls and calls to `__ykts_promote_*` (`before`, resumed by
// executing the call again: a trace guards on an indirect call's target and
// on a promoted value there).
import { Function as YFunction, InlineAsm, findAttr, allFnAttrs } from "../ykir/index.js";
import type { BasicBlock, Function, Instruction, Value } from "../ykir/index.js";
import { Liveness } from "./liveness.js";
import { RECOMPUTABLE, isSameBlockOperand } from "./recompute.js";
import { CONTROL_POINT, isRuntimeOrIntrinsic, promoteCallKind, recordKindOf } from "./runtime-abi.js";

export type ResumeKind = "cp" | "term" | "after" | "before";

export interface ResumePoint {
  id: number;
  kind: ResumeKind;
  /** cp: the control-point call; term: the terminator; after/before: the call. */
  inst: Instruction;
  /** Values the resume buffer carries, in buffer order. */
  live: Value[];
}

export interface FunctionAnalysis {
  fn: Function;
  liveness: Liveness;
  sites: ResumePoint[]; // kind "cp", index k = id - 1
  points: ResumePoint[]; // all, sites first
  /**
   * Address arithmetic that resume points other than control points do not
   * carry: their resume entries recompute it (splitDerived), in definition
   * order.
   */
  derived: Instruction[];
  /**
   * Direct calls to functions annotated yk_idempotent whose result a traced
   * clone records like a promoted value (traced-clone.ts), in block and
   * instruction order.
   */
  idempotentCalls: Instruction[];
}

export interface AnalysisOptions {
  /** Names of the functions the unit knows as yk_idempotent (annotations.ts). */
  idempotent?: ReadonlySet<string>;
}

export function isControlPointCall(i: Instruction): boolean {
  return i.opcode === "call" && i.callee instanceof YFunction && i.callee.name === CONTROL_POINT;
}

/** Is this call one a trace may inline (its callee may have ykir)? */
function mayInline(i: Instruction): boolean {
  const callee = i.callee;
  if (callee instanceof InlineAsm) return false;
  if (callee instanceof YFunction && isRuntimeOrIntrinsic(callee.name)) return false;
  if (i.tail === "musttail") return false;
  const attrs = allFnAttrs(i);
  if (findAttr(attrs, "noreturn") || findAttr(attrs, "returns_twice")) return false;
  if (callee instanceof YFunction) {
    const fa = allFnAttrs(callee);
    if (findAttr(fa, "noreturn") || findAttr(fa, "returns_twice")) return false;
  }
  const list = i.parent!.instructions;
  const next = list[list.indexOf(i) + 1];
  return next?.opcode !== "unreachable";
}

const isIndirect = (i: Instruction) => !(i.callee instanceof YFunction) && !(i.callee instanceof InlineAsm);

/** Is this a call whose result a traced clone records (a call to an idempotent function)? */
function recordsResult(i: Instruction, idempotent: ReadonlySet<string>): boolean {
  const c = i.callee;
  return c instanceof YFunction && c.name !== null && idempotent.has(c.name) && i.tail !== "musttail" && recordKindOf(i.type) !== null;
}

export function analyseFunction(fn: Function, opts: AnalysisOptions = {}): FunctionAnalysis {
  const liveness = new Liveness(fn, { baseUses: true });
  const sites: ResumePoint[] = [];
  const rest: ResumePoint[] = [];
  const idempotentCalls: Instruction[] = [];
  const idempotent = opts.idempotent ?? new Set<string>();
  for (const b of fn.blocks as BasicBlock[]) {
    for (const i of b.instructions) {
      if (i.opcode === "call") {
        if (isControlPointCall(i)) { sites.push({ id: sites.length + 1, kind: "cp", inst: i, live: liveness.liveAfter(i) }); continue; }
        if (isIndirect(i) || promoteCallKind(i) !== null) rest.push({ id: 0, kind: "before", inst: i, live: liveness.liveBefore(i) });
        if (recordsResult(i, idempotent)) idempotentCalls.push(i);
        if (mayInline(i)) rest.push({ id: 0, kind: "after", inst: i, live: liveness.liveAfter(i) });
      } else if (i.isTerminator && isGuardable(i)) {
        rest.push({ id: 0, kind: "term", inst: i, live: liveness.liveBefore(i) });
      }
    }
  }
  rest.forEach((p, k) => { p.id = sites.length + 1 + k; });
  const derived = splitDerived(rest, liveness);
  return { fn, liveness, sites, points: [...sites, ...rest], derived, idempotentCalls };
}

/**
 * Takes address arithmetic out of the live values of `points` (not control
 * points: their live struct is the original's, which carries everything)
 * and returns it: a getelementptr, bitcast or addrspacecast whose operands
 * are constants, globals or instructions of its own block. A resume entry
 * recomputes all of them, in definition order, from the values the buffer
 * carries, before it continues (traced-clone.ts), and a side trace starting
 * at a point does the same (trace-interp/build.ts). Right wherever such a
 * value is live: its operands are live there too (Liveness with baseUses),
 * and they are the instances it was computed from (defined in its block
 * before it: a new instance of one means a new instance of it). Where it is
 * not live, what the entry computes for it is never read. minilua's
 * mlV_execute: of 219 live values per point on average, 163 were `gep`s
 * clang hoisted next to `ci`, `p` and the like.
 */
function splitDerived(points: ResumePoint[], liveness: Liveness): Instruction[] {
  const derived = new Set<Value>();
  const isDerived = (v: Value): boolean => {
    if (v.vkind !== "inst") return false;
    const i = v as Instruction;
    return RECOMPUTABLE.has(i.opcode) &&
      i.operands.every((o) => (o.vkind === "inst" ? isSameBlockOperand(i, o) : o.isConstant));
  };
  for (const p of points) for (const v of p.live) if (!derived.has(v) && isDerived(v)) derived.add(v);
  if (derived.size === 0) return [];
  for (const p of points) p.live = p.live.filter((v) => !derived.has(v));
  return ([...derived] as Instruction[]).sort((a, b) => liveness.id(a)! - liveness.id(b)!);
}

function isGuardable(t: Instruction): boolean {
  return (t.opcode === "br" && t.operands.length === 1) || t.opcode === "switch" || t.opcode === "indirectbr";
}


/**
 * The values a traced clone keeps in its frame struct, in field order: the
 * derived values (splitDerived), everything live at some resume point, and
 * the results of calls resumed after (they arrive in the frame's incoming
 * slot).
 */
export function frameValues(points: ResumePoint[], derived: readonly Value[] = []): Value[] {
  const values = new Set<Value>(derived);
  for (const p of points) {
    for (const v of p.live) values.add(v);
    if (p.kind === "after" && !p.inst.type.isVoid()) values.add(p.inst);
  }
  return [...values];
}
