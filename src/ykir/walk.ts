// Walking and rewriting uses in ykir. ykir keeps no use lists (they would
// have to be kept in sync and serialised); these helpers compute them on
// demand and replace uses everywhere a value can be used inside a function:
// operands, operand bundles, debug records and metadata operands.
import type { Value } from "./value.js";
import { MetadataOperand } from "./value.js";
import type { Instruction } from "./instruction.js";
import type { Function, BasicBlock } from "./module.js";

/** Calls fn for every value slot of an instruction (with a setter to replace it). */
export function forEachUse(inst: Instruction, fn: (v: Value, set: (nv: Value) => void) => void): void {
  const walk = (arr: Value[]): void => {
    for (let k = 0; k < arr.length; k++) {
      const v = arr[k]!;
      if (v instanceof MetadataOperand) {
        if (v.value) fn(v.value, (nv) => { v.value = nv; });
        if (v.args) walk(v.args);
      } else fn(v, (nv) => { arr[k] = nv; });
    }
  };
  walk(inst.operands);
  for (const b of inst.bundles ?? []) walk(b.values);
  for (const r of inst.dbg ?? []) walk(r.args);
  for (const c of inst.clauses ?? []) fn(c.value, (nv) => { c.value = nv; });
}

/** Map from each value used in f to the instructions using it. */
export function computeUses(f: Function): Map<Value, Instruction[]> {
  const uses = new Map<Value, Instruction[]>();
  for (const b of f.blocks)
    for (const i of b.instructions)
      forEachUse(i, (v) => {
        const l = uses.get(v);
        if (l) { if (l[l.length - 1] !== i) l.push(i); } else uses.set(v, [i]);
      });
  return uses;
}

/** Replaces every use of `from` by `to` inside f; returns how many uses changed. */
export function replaceAllUses(f: Function, from: Value, to: Value): number {
  let n = 0;
  for (const b of f.blocks)
    for (const i of b.instructions)
      forEachUse(i, (v, set) => { if (v === from) { set(to); n++; } });
  return n;
}

/** The value a phi takes when control arrives from `pred`, or undefined. */
export function phiIncoming(phi: Instruction, pred: BasicBlock): Value | undefined {
  const k = phi.blocks.indexOf(pred);
  return k < 0 ? undefined : phi.operands[k];
}

/** Predecessor lists of every block of f (in block order, without duplicates). */
export function predecessors(f: Function): Map<BasicBlock, BasicBlock[]> {
  const preds = new Map<BasicBlock, BasicBlock[]>(f.blocks.map((b) => [b, []]));
  for (const b of f.blocks)
    for (const s of b.terminator?.successors ?? []) {
      const l = preds.get(s)!;
      if (!l.includes(b)) l.push(b);
    }
  return preds;
}
