// Chooses where each deopt value comes from (docs/traces.md §3): a value
// the trace loaded from the live struct at entry and never changed is read
// back from the live struct by the runtime (source 1), an integer or null
// constant is written into the table (source 2); only the rest stays in the
// guard's "deopt" bundle (source 0), where each value costs the compiled
// trace a spill slot at every guard that carries it.
import { ConstantInt, ConstantNull, Instruction } from "../ykir/index.js";
import type { Value } from "../ykir/index.js";
import { guardId, guardValues, isGuard } from "../trace-ir/trace.js";
import type { Trace } from "../trace-ir/trace.js";

/** Offsets in the live struct of the entry block's loads (`load T, gep i8 %live, C`). */
function entryLoads(t: Trace): Map<Value, number> {
  const out = new Map<Value, number>();
  const live = t.fn.args[0]!;
  for (const i of t.fn.blocks[0]!.instructions) {
    if (i.opcode !== "load") continue;
    const p = i.operands[0];
    if (p instanceof Instruction && p.opcode === "getelementptr" && p.operands[0] === live && p.operands.length === 2) {
      const c = p.operands[1];
      if (c instanceof ConstantInt) out.set(i, Number(c.value));
    }
  }
  return out;
}

export function assignDeoptSources(t: Trace): void {
  const fromLive = entryLoads(t);
  for (const b of t.fn.blocks)
    for (const inst of b.instructions) {
      if (!isGuard(inst)) continue;
      const g = t.guards[guardId(inst)]!;
      const values = guardValues(inst);
      const kept: Value[] = [];
      let k = 0;
      for (const f of g.frames)
        for (const s of f.slots) {
          if (s.source !== 0) continue;
          const v = values[k++]!;
          const off = fromLive.get(v);
          if (off !== undefined) { s.source = 1; s.payload = BigInt(off); continue; }
          if (v instanceof ConstantInt) { s.source = 2; s.payload = BigInt.asUintN(64, v.value); continue; }
          if (v instanceof ConstantNull) { s.source = 2; s.payload = 0n; continue; }
          kept.push(v);
        }
      inst.bundles = [{ tag: "deopt", values: kept }];
    }
}
