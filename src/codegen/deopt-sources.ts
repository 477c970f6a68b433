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
  // The payloads of the live-struct offsets, made once (a guard of an
  // interpreter's dispatch loop has a couple of hundred such slots).
  const livePayload = new Map<number, bigint>();
  const payloadOf = (off: number) => {
    let p = livePayload.get(off);
    if (p === undefined) { p = BigInt(off); livePayload.set(off, p); }
    return p;
  };
  // Many guards carry the same addresses: each one's offset is computed once.
  const gepOffsets = new Map<Instruction, number | null>();
  for (const b of t.fn.blocks)
    for (const inst of b.instructions) {
      if (!isGuard(inst)) continue;
      const g = t.guards[guardId(inst)]!;
      const values = guardValues(inst);
      if (values.length === 0) continue;
      // The open slots (source 0) of each frame and their values, in order.
      let k = 0;
      const bundle: Value[] = [];
      for (const f of g.frames) {
        const open: DeoptSlot[] = [];
        const vals: Value[] = [];
        for (const s of f.slots) {
          if (s.source !== 0) continue;
          const v = values[k++]!;
          const off = fromLive.get(v);
          if (off !== undefined) { s.source = 1; s.payload = payloadOf(off); continue; }
          if (v instanceof ConstantInt) { s.source = 2; s.payload = BigInt.asUintN(64, v.value); continue; }
          if (v instanceof ConstantNull) { s.source = 2; s.payload = 0n; continue; }
          // A promoted pointer: `inttoptr (i64 C to ptr)`.
          if (v instanceof ConstantExpr && v.opcode === "inttoptr" && v.operands[0] instanceof ConstantInt) {
            s.source = 2; s.payload = BigInt.asUintN(64, v.operands[0].value); continue;
          }
          open.push(s);
          vals.push(v);
        }
        if (o.derived) deriveSlots(f.slots, open, vals, fromLive, gepOffsets);
        for (let j = 0; j < open.length; j++) if (open[j]!.source === 0) bundle.push(vals[j]!);
      }
      inst.bundles = [{ tag: "deopt", values: bundle }, ...(inst.bundles ?? []).filter((bd) => bd.tag !== "deopt")];
    }
}

/** The constant byte offset of a getelementptr value, computed once per instruction; null for anything else. */
function deltaOf(v: Value, gepOffsets: Map<Instruction, number | null>): number | null {
  if (!(v instanceof Instruction) || v.opcode !== "getelementptr") return null;
  let delta = gepOffsets.get(v);
  if (delta === undefined) { delta = constantGepOffset(v); gepOffsets.set(v, delta); }
  return delta;
}

/**
 * Source 3 for the frame's open slots `open` (values `vals`): an address at
 * a constant offset from another slot's value. The base must be a slot of
 * this frame that is not derived itself (the runtime fills derived slots
 * last, in one pass).
 */
function deriveSlots(slots: DeoptSlot[], open: DeoptSlot[], vals: Value[], fromLive: Map<Value, number>, gepOffsets: Map<Instruction, number | null>): void {
  let byValue: Map<Value, DeoptSlot[]> | null = null; // the open slots by value, in order
  let liveSlots: Map<bigint, DeoptSlot> | null = null; // the frame's source-1 slots by live-struct offset
  // A slot another one is derived from stays what it is.
  let isBase: Set<DeoptSlot> | null = null;
  for (let j = 0; j < open.length; j++) {
    const s = open[j]!;
    const v = vals[j]!;
    if (s.size !== 8 || isBase?.has(s)) continue;
    const delta = deltaOf(v, gepOffsets);
    if (delta === null) continue;
    if (!byValue) {
      byValue = new Map();
      for (let x = 0; x < open.length; x++) {
        const l = byValue.get(vals[x]!);
        if (l) l.push(open[x]!); else byValue.set(vals[x]!, [open[x]!]);
      }
    }
    const bv = (v as Instruction).operands[0]!;
    let base = byValue.get(bv)?.find((x) => x !== s && x.source !== 3);
    if (!base) {
      // A base read from the live struct: its slot left the bundle (here,
      // or in an earlier run: src/opt/early-deopt-sources.ts).
      const off = fromLive.get(bv);
      if (off !== undefined) {
        if (!liveSlots) {
          liveSlots = new Map();
          for (const x of slots) if (x.source === 1 && !liveSlots.has(x.payload)) liveSlots.set(x.payload, x);
        }
        base = liveSlots.get(BigInt(off));
      }
    }
    if (!base) continue;
    s.source = 3;
    s.payload = (BigInt(base.offset) << 32n) | BigInt.asUintN(32, BigInt(delta));
    (isBase ??= new Set()).add(base);
  }
  // Addresses at constant offsets from a base that is in no slot (clang
  // keeps dozens of `getelementptr %p, C` of one loaded %p live across an
  // interpreter's dispatch): the first stays in the bundle, the others are
  // recomputed from its slot.
  let firstOfBase: Map<Value, { slot: DeoptSlot; delta: number }> | null = null;
  for (let j = 0; j < open.length; j++) {
    const s = open[j]!;
    const v = vals[j]!;
    if (s.source !== 0 || s.size !== 8 || isBase?.has(s)) continue;
    const delta = deltaOf(v, gepOffsets);
    if (delta === null) continue;
    const bv = (v as Instruction).operands[0]!;
    const rep = (firstOfBase ??= new Map()).get(bv);
    if (!rep) { firstOfBase.set(bv, { slot: s, delta }); continue; }
    const d = delta - rep.delta;
    if (d < -(2 ** 31) || d >= 2 ** 31) continue;
    s.source = 3;
    s.payload = (BigInt(rep.slot.offset) << 32n) | BigInt.asUintN(32, BigInt(d));
    (isBase ??= new Set()).add(rep.slot);
  }
}
