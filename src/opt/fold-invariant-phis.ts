// Pass: fold loop phis that the trace never changes.
//
// Assumes: a verified trace (src/trace-ir/trace.ts): loop phis have the
// incoming values [entry value, loop value].
// Guarantees: every phi whose loop value is the phi itself (the value
// enters the trace and is carried round unchanged) is removed and its uses,
// deopt values included, refer to its entry value. The trace computes the
// same values; the entry values are loads from the live struct, which the
// deopt table can then name instead of carrying them (docs/traces.md §3).
import type { Instruction, Value } from "../ykir/index.js";
import type { Trace } from "../trace-ir/trace.js";

export const name = "fold-invariant-phis";

export function run(t: Trace): number {
  const loop = t.fn.blocks[1]!;
  const repl = new Map<Value, Value>();
  // A phi may be carried round through another invariant phi: iterate.
  for (let changed = true; changed;) {
    changed = false;
    for (const p of loop.instructions) {
      if (p.opcode !== "phi" || repl.has(p)) continue;
      const back = resolve(repl, p.operands[1]!);
      if (back === p) { repl.set(p, p.operands[0]!); changed = true; }
    }
  }
  if (repl.size === 0) return 0;
  loop.instructions = loop.instructions.filter((i) => !repl.has(i));
  const fix = (v: Value) => resolve(repl, v);
  for (const b of t.fn.blocks)
    for (const i of b.instructions as Instruction[]) {
      i.operands = i.operands.map(fix);
      for (const bd of i.bundles ?? []) bd.values = bd.values.map(fix);
    }
  return repl.size;
}

function resolve(repl: Map<Value, Value>, v: Value): Value {
  let x = v;
  for (let n = 0; repl.has(x) && n < 1000; n++) x = repl.get(x)!;
  return x;
}
