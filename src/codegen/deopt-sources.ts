// Chooses where each deopt value comes from (docs/traces.md §3): a value
// the trace loaded from the live struct at entry and never changed is read
// back from the live struct by the runtime (source 1), an integer or null
// constant is written into the table (source 2); only the rest stays in the
// guard's "deopt" bundle (source 0), where each value costs the compiled
// trace a spill slot at every guard that carries it. An address computed
// from another value of the same frame by a constant offset (clang keeps
// many `getelementptr %base, C` live across an interpreter's dispatch) is
// recomputed by the runtime from that value's slot (source 3), and so is
// one of several addresses at constant offsets from the same base, from
// the slot of the first of them.
import { ConstantExpr, ConstantInt, ConstantNull, Instruction } from "../ykir/index.js";
import type { Value } from "../ykir/index.js";
import { gepConstantOffset } from "../trace-ir/layout.js";
import { guardId, guardValues, isGuard } from "../trace-ir/trace.js";
import type { DeoptSlot, Trace } from "../trace-ir/trace.js";

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

/** The constant byte offset of a getelementptr with constant indices, if it fits a signed 32-bit addend. */
export function constantGepOffset(g: Instruction): number | null {
  if (g.opcode !== "getelementptr" || !g.elemType) return null;
  const idx = g.operands.slice(1);
  if (!idx.every((v) => v instanceof ConstantInt)) return null;
  const off = gepConstantOffset(g.elemType, idx.map((v) => (v as ConstantInt).signed));
  return off !== undefined && off >= -(2n ** 31n) && off < 2n ** 31n ? Number(off) : null;
}

export interface DeoptSourceOptions {
  /** Recompute constant-offset addresses from another slot (source 3). */
  derived?: boolean;
}

export function assignDeoptSources(t: Trace, o: DeoptSourceOptions = {}): void {
  const fromLive = entryLoads(t);
  // Many guards carry the same addresses: each one's offset is computed once.
  const gepOffsets = new Map<Instruction, number | null>();
  for (const b of t.fn.blocks)
    for (const inst of b.instructions) {
      if (!isGuard(inst)) continue;
      const g = t.guards[guardId(inst)]!;
      const values = guardValues(inst);
      const valueOf = new Map<DeoptSlot, Value>();
      let k = 0;
      for (const f of g.frames) for (const s of f.slots) if (s.source === 0) valueOf.set(s, values[k++]!);
      for (const f of g.frames) {
        const open = f.slots.filter((s) => valueOf.has(s));
        for (const s of open) {
          const v = valueOf.get(s)!;
          const off = fromLive.get(v);
          if (off !== undefined) { s.source = 1; s.payload = BigInt(off); continue; }
          if (v instanceof ConstantInt) { s.source = 2; s.payload = BigInt.asUintN(64, v.value); continue; }
          if (v instanceof ConstantNull) { s.source = 2; s.payload = 0n; continue; }
          // A promoted pointer: `inttoptr (i64 C to ptr)`.
          if (v instanceof ConstantExpr && v.opcode === "inttoptr" && v.operands[0] instanceof ConstantInt) {
            s.source = 2; s.payload = BigInt.asUintN(64, v.operands[0].value); continue;
          }
        }
        if (!o.derived) continue;
        // Source 3: the base must be a slot of this frame that is not derived
        // itself (the runtime fills derived slots last, in one pass).
        let byValue: Map<Value, DeoptSlot[]> | null = null; // the open slots by value, in order
        // A slot another one is derived from stays what it is.
        const isBase = new Set<DeoptSlot>();
        for (const s of open) {
          const v = valueOf.get(s)!;
          if (s.source !== 0 || s.size !== 8 || !(v instanceof Instruction) || isBase.has(s)) continue;
          let delta = gepOffsets.get(v);
          if (delta === undefined) { delta = constantGepOffset(v); gepOffsets.set(v, delta); }
          if (delta === null) continue;
          if (!byValue) {
            byValue = new Map();
            for (const x of open) {
              const xv = valueOf.get(x)!;
              const l = byValue.get(xv);
              if (l) l.push(x); else byValue.set(xv, [x]);
            }
          }
          const base = byValue.get(v.operands[0]!)?.find((x) => x !== s && x.source !== 3);
          if (!base) continue;
          s.source = 3;
          s.payload = (BigInt(base.offset) << 32n) | BigInt.asUintN(32, BigInt(delta));
          isBase.add(base);
        }
        // Addresses at constant offsets from a base that is in no slot (clang
        // keeps dozens of `getelementptr %p, C` of one loaded %p live across
        // an interpreter's dispatch): the first stays in the bundle, the
        // others are recomputed from its slot.
        const firstOfBase = new Map<Value, { slot: DeoptSlot; delta: number }>();
        for (const s of open) {
          const v = valueOf.get(s)!;
          if (s.source !== 0 || s.size !== 8 || !(v instanceof Instruction) || isBase.has(s)) continue;
          const delta = gepOffsets.get(v);
          if (delta === undefined || delta === null) continue;
          const rep = firstOfBase.get(v.operands[0]!);
          if (!rep) { firstOfBase.set(v.operands[0]!, { slot: s, delta }); continue; }
          const d = delta - rep.delta;
          if (d < -(2 ** 31) || d >= 2 ** 31) continue;
          s.source = 3;
          s.payload = (BigInt(rep.slot.offset) << 32n) | BigInt.asUintN(32, BigInt(d));
          isBase.add(rep.slot);
        }
      }
      const bundle: Value[] = [];
      for (const f of g.frames) for (const s of f.slots) if (s.source === 0 && valueOf.has(s)) bundle.push(valueOf.get(s)!);
      inst.bundles = [{ tag: "deopt", values: bundle }];
    }
}
