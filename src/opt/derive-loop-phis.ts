// Pass: loop phis that are addresses at constant offsets from one base.
//
// An interpreter's dispatch loop often keeps dozens of addresses live
// across the control point that it recomputes each iteration from one
// loaded pointer (clang hoists `getelementptr %p, C` for many C into phis
// of the loop header). In a trace each becomes a phi [live-struct load,
// `getelementptr %x, C_k`], every guard carries all of them, and the loop
// recomputes and keeps all of them live.
//
// Assumes: a verified root trace (src/trace-ir/trace.ts; not a side trace,
// which has no loop).
// Guarantees: for each group of loop phis whose loop values are constant-
// offset getelementptrs of the same base, all but the first phi P0 are
// removed; a removed phi P becomes `getelementptr i8, P0, (C_P - C_0)` at
// the top of the loop, and its uses (deopt values included) refer to that.
// This holds on the back edge by construction; for the first iteration the
// entry values must agree too, which the trace checks on entry: the
// comparisons `E_P == getelementptr i8, E_0, (C_P - C_0)` go into the entry
// block and `Trace.entryChecks`, and when one fails the trace returns at
// once without having done anything (docs/traces.md §5), so the
// interpreter carries on. No memory is read for the checks.
import { Instruction, constInt, i1, i8, i64 } from "../ykir/index.js";
import type { Value } from "../ykir/index.js";
import { constantGepOffset } from "../codegen/deopt-sources.js";
import type { Trace } from "../trace-ir/trace.js";

export const name = "derive-loop-phis";

export function run(t: Trace): number {
  if (t.side) return 0;
  const [entry, loop] = t.fn.blocks as [typeof t.fn.blocks[0], typeof t.fn.blocks[0]];
  const groups = new Map<Value, { phi: Instruction; off: number }[]>();
  for (const p of loop.instructions) {
    if (p.opcode !== "phi") break;
    if (!p.type.isPtr()) continue;
    const back = p.operands[1];
    if (!(back instanceof Instruction) || back.opcode !== "getelementptr") continue;
    const off = constantGepOffset(back);
    if (off === null) continue;
    const base = back.operands[0]!;
    const g = groups.get(base);
    if (g) g.push({ phi: p, off }); else groups.set(base, [{ phi: p, off }]);
  }
  const repl = new Map<Value, Value>();
  const derived: Instruction[] = [];
  const isDerived = new Set<Instruction>();
  const term = entry.instructions.pop()!; // `br label %loop`, put back below
  const checks: Value[] = [];
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    const first = g[0]!;
    for (const m of g.slice(1)) {
      const d = m.off - first.off;
      if (d < -(2 ** 31) || d >= 2 ** 31) continue;
      const e = gep(first.phi.operands[0]!, d);
      entry.append(e);
      const eq = new Instruction("icmp", i1, [m.phi.operands[0]!, e], null);
      eq.predicate = "eq";
      entry.append(eq);
      checks.push(eq);
      const x = gep(first.phi, d);
      derived.push(x);
      isDerived.add(x);
      repl.set(m.phi, x);
    }
  }
  entry.append(term);
  if (repl.size === 0) return 0;
  const phis = loop.instructions.filter((i) => i.opcode === "phi" && !repl.has(i));
  const rest = loop.instructions.filter((i) => i.opcode !== "phi");
  loop.instructions = [...phis, ...derived, ...rest];
  for (const i of loop.instructions) i.parent = loop;
  const fix = (v: Value) => repl.get(v) ?? v;
  for (const b of t.fn.blocks)
    for (const i of b.instructions) {
      if (isDerived.has(i)) continue;
      i.operands = i.operands.map(fix);
      for (const bd of i.bundles ?? []) bd.values = bd.values.map(fix);
    }
  t.entryChecks = [...(t.entryChecks ?? []), ...checks];
  return repl.size;
}

function gep(base: Value, d: number): Instruction {
  const g = new Instruction("getelementptr", base.type, [base, constInt(i64, d)], null);
  g.elemType = i8;
  return g;
}

