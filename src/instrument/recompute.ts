// Address arithmetic the instrumenter and the trace builder recompute from
// its operands instead of carrying it as a value of its own: clang hoists
// many `getelementptr %base, C` out of an interpreter's loop next to
// %base, and carrying each copy through a control point or a deopt cost
// spills and deopt-table entries (docs/retrofit-abi.md §2, §4).
// liveness.ts (baseUses) keeps such a value's same-block operands live
// wherever it is; control-point.ts, resume-points.ts (splitDerived),
// traced-clone.ts and trace-interp/build.ts recompute it with `recompute`.
import { Instruction } from "../ykir/index.js";
import type { Value } from "../ykir/index.js";

/** Opcodes cheap enough to recompute instead of carrying the value. */
export const RECOMPUTABLE: ReadonlySet<string> = new Set(["getelementptr", "bitcast", "addrspacecast"]);

/** Whether `o` is an operand of `i` defined by an instruction of `i`'s own block. */
export function isSameBlockOperand(i: Instruction, o: Value): boolean {
  return o.vkind === "inst" && (o as Instruction).parent === i.parent;
}

/** A copy of `v` (address arithmetic) computed from `ops`, not inserted anywhere. */
export function recompute(v: Instruction, ops: Value[]): Instruction {
  const n = new Instruction(v.opcode, v.type, ops, null);
  n.flags = [...v.flags];
  if (v.elemType) n.elemType = v.elemType;
  return n;
}
