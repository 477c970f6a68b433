// SSA liveness over one ykir function: which arguments and instruction results
// are live at the start and end of each block, and at any point inside one.
//
// Used by the instrumenter to find the values that must survive a control
// point (spilled to the live struct) and the values a resume entry must be
// handed. A phi's incoming value counts as used at the end of the incoming
// block, never at the start of the phi's own block. Constants, globals and
// blocks are not tracked: they are the same everywhere.
//
// With `baseUses` (what the instrumenter uses), a use of address arithmetic
// (RECOMPUTABLE: getelementptr, bitcast, addrspacecast) counts as a use of
// its operands defined in its own block as well, and of theirs in turn:
// the control-point rewrite recomputes such a value from them at its uses
// (control-point.ts), so they must be live wherever it is. clang hoists
// `gep %p, C` for several C to where %p is loaded (minilua: four fields of
// the Proto at each function entry); with only the GEPs live across the
// control point, the rewrite had to carry each of them through the loop,
// and the dispatch loop spilled them.
import type { Function, BasicBlock, Instruction, Value } from "../ykir/index.js";
import { RECOMPUTABLE, isSameBlockOperand } from "./recompute.js";

export interface LivenessOptions { baseUses?: boolean }

/** A fixed-size set of value numbers. */
class BitSet {
  readonly w: Uint32Array;
  constructor(n: number) { this.w = new Uint32Array((n + 31) >>> 5); }
  add(i: number): void { this.w[i >>> 5]! |= 1 << (i & 31); }
  delete(i: number): void { this.w[i >>> 5]! &= ~(1 << (i & 31)); }
  has(i: number): boolean { return (this.w[i >>> 5]! & (1 << (i & 31))) !== 0; }
  copy(): BitSet { const b = new BitSet(0); (b as { w: Uint32Array }).w = this.w.slice(); return b; }
  /** this |= other; returns whether anything changed. */
  union(o: BitSet): boolean {
    let changed = false;
    for (let i = 0; i < this.w.length; i++) {
      const v = (this.w[i]! | o.w[i]!) >>> 0;
      if (v !== this.w[i]) { this.w[i] = v; changed = true; }
    }
    return changed;
  }
}

export class Liveness {
  /** Tracked values: arguments, then every instruction that defines a value, in block order. */
  readonly values: Value[] = [];
  private readonly num = new Map<Value, number>();
  private readonly liveIn = new Map<BasicBlock, BitSet>();
  private readonly liveOut = new Map<BasicBlock, BitSet>();

  /** Per used value, the numbers a use of it makes live (itself, and with baseUses its bases). */
  private readonly usesCache = new Map<Value, number[]>();

  constructor(readonly fn: Function, private readonly opts: LivenessOptions = {}) {
    for (const a of fn.args) this.track(a);
    for (const b of fn.blocks)
      for (const i of b.instructions) if (!i.type.isVoid()) this.track(i);
    this.solve();
  }

  private track(v: Value): void { this.num.set(v, this.values.length); this.values.push(v); }

  /** The value numbers a use of `v` makes live: v's own, and with baseUses those of its same-block bases. */
  private usesOf(v: Value): number[] {
    let out = this.usesCache.get(v);
    if (out) return out;
    const id = this.num.get(v);
    out = id === undefined ? [] : [id];
    if (this.opts.baseUses && v.vkind === "inst" && RECOMPUTABLE.has((v as Instruction).opcode)) {
      const i = v as Instruction;
      for (const o of i.operands)
        if (isSameBlockOperand(i, o)) for (const n of this.usesOf(o)) if (!out.includes(n)) out.push(n);
    }
    this.usesCache.set(v, out);
    return out;
  }
  /** The number of a tracked value, or undefined for constants and globals. */
  id(v: Value): number | undefined { return this.num.get(v); }

  private solve(): void {
    const n = this.values.length;
    const blocks = this.fn.blocks;
    const ue = new Map<BasicBlock, BitSet>();
    const defs = new Map<BasicBlock, BitSet>();
    const phiUses = new Map<BasicBlock, BitSet>(); // per predecessor: values its successors' phis take from it
    const preds = new Map<BasicBlock, BasicBlock[]>();
    for (const b of blocks) {
      ue.set(b, new BitSet(n)); defs.set(b, new BitSet(n)); phiUses.set(b, new BitSet(n));
      this.liveIn.set(b, new BitSet(n)); this.liveOut.set(b, new BitSet(n)); preds.set(b, []);
    }
    for (const b of blocks) {
      const d = defs.get(b)!, u = ue.get(b)!;
      for (const i of b.instructions) {
        if (i.opcode === "phi") {
          i.operands.forEach((v, k) => {
            for (const id of this.usesOf(v)) phiUses.get(i.blocks[k]!)?.add(id);
          });
        } else {
          for (const v of i.operands)
            for (const id of this.usesOf(v)) if (!d.has(id)) u.add(id);
        }
        const id = this.num.get(i);
        if (id !== undefined) d.add(id);
      }
      for (const s of b.terminator?.successors ?? []) preds.get(s)?.push(b);
    }
    // Backward dataflow with a worklist.
    const work = [...blocks].reverse();
    const queued = new Set(work);
    while (work.length) {
      const b = work.pop()!;
      queued.delete(b);
      const out = this.liveOut.get(b)!;
      out.union(phiUses.get(b)!);
      for (const s of b.terminator?.successors ?? []) out.union(this.liveIn.get(s)!);
      const inn = out.copy();
      const d = defs.get(b)!;
      for (let k = 0; k < inn.w.length; k++) inn.w[k] = (inn.w[k]! & ~d.w[k]!) | ue.get(b)!.w[k]!;
      if (this.liveIn.get(b)!.union(inn))
        for (const p of preds.get(b)!) if (!queued.has(p)) { queued.add(p); work.push(p); }
    }
  }

  private toValues(s: BitSet): Value[] {
    const out: Value[] = [];
    for (let i = 0; i < this.values.length; i++) if (s.has(i)) out.push(this.values[i]!);
    return out;
  }

  liveInOf(b: BasicBlock): Value[] { return this.toValues(this.liveIn.get(b)!); }
  liveOutOf(b: BasicBlock): Value[] { return this.toValues(this.liveOut.get(b)!); }

  /**
   * Values live just after `inst` (excluding its own result), in value-number
   * order (arguments first, then definition order): a stable order that the
   * live structs and resume buffers use.
   */
  liveAfter(inst: Instruction): Value[] {
    return this.toValues(this.liveAfterSet(inst));
  }
  /** Values live just before `inst` (its operands included). */
  liveBefore(inst: Instruction): Value[] {
    const s = this.liveAfterSet(inst);
    this.useAt(s, inst);
    return this.toValues(s);
  }

  private liveAfterSet(inst: Instruction): BitSet {
    const b = inst.parent!;
    const s = this.liveOut.get(b)!.copy();
    const list = b.instructions;
    for (let k = list.length - 1; k >= 0; k--) {
      const i = list[k]!;
      if (i === inst) break;
      this.useAt(s, i);
    }
    const own = this.num.get(inst);
    if (own !== undefined) s.delete(own);
    return s;
  }

  /** Steps `s` backwards over `i`: its result dies, its operands become live. */
  private useAt(s: BitSet, i: Instruction): void {
    const own = this.num.get(i);
    if (own !== undefined) s.delete(own);
    if (i.opcode === "phi") return;
    for (const v of i.operands) for (const id of this.usesOf(v)) s.add(id);
  }
}
