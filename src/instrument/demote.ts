// Demotes SSA values to stack slots ("reg2mem"): each value gets an alloca in
// a given block, a store right after its definition and a load right before
// each use (a phi's use loads at the end of the incoming block).
//
// Why: the instrumenter must be able to give a value a new definition in the
// middle of a function (after a control point call returns with updated live
// values, or when a traced clone is entered at a resume point). With every
// such value in its own slot, a new definition is just another store, and
// clang's SROA/mem2reg rebuilds SSA form (with the phis it needs) when the
// instrumented module is compiled. Slots never escape, so promotion is
// always possible and the original code's speed is kept.
import { IRBuilder, Argument, Instruction } from "../ykir/index.js";
import type { BasicBlock, Function, Value } from "../ykir/index.js";
import { firstNonPhi } from "./cfg-edit.js";

export interface Demotion {
  /** The slot of each demoted value (an alloca, or whatever the slot maker made). */
  slots: Map<Value, Instruction>;
}

/**
 * Demotes `values` of `f`. Slots are made at the start of `slotBlock`
 * (allocas unless `makeSlot` says otherwise);
 * argument stores go before `argStoreBefore` (the first instruction of the
 * normal entry path). Instructions in `skip` are not rewritten.
 */
/** Makes the slot of a value; the builder is positioned in the slot block. */
export type SlotMaker = (v: Value, b: IRBuilder) => Instruction;
const allocaSlot: SlotMaker = (v, b) => b.alloca(v.type);

export interface DemoteOptions {
  /** Instructions whose uses are left alone. */
  skip?: Set<Instruction>;
  makeSlot?: SlotMaker;
  /** Values (besides arguments) whose store goes before `argStoreBefore` rather than after their definition. */
  storeAtEntry?: Set<Value>;
}

export function demote(f: Function, values: Iterable<Value>, slotBlock: BasicBlock, argStoreBefore: Instruction, opts: DemoteOptions = {}): Demotion {
  const skip = opts.skip ?? new Set<Instruction>();
  const makeSlot = opts.makeSlot ?? allocaSlot;
  const storeAtEntry = opts.storeAtEntry ?? new Set<Value>();
  const set = new Set(values);
  const slots = new Map<Value, Instruction>();
  if (set.size === 0) return { slots };
  // Users of each demoted value, found in one walk (ykir keeps no use lists).
  const users = new Map<Value, Instruction[]>();
  for (const b of f.blocks)
    for (const i of b.instructions) {
      if (skip.has(i)) continue;
      for (const v of i.operands) if (set.has(v)) {
        const list = users.get(v) ?? [];
        if (list[list.length - 1] !== i) list.push(i);
        users.set(v, list);
      }
    }
  const b = new IRBuilder();
  const slotAnchor = slotBlock.instructions[0];
  for (const v of set) {
    if (slotAnchor) b.beforeInst(slotAnchor); else b.atEnd(slotBlock);
    const slot = makeSlot(v, b);
    slots.set(v, slot);
    // Store after the definition.
    if (v instanceof Argument || storeAtEntry.has(v)) b.beforeInst(argStoreBefore);
    else if (v instanceof Instruction) {
      if (v.opcode === "phi") b.beforeInst(firstNonPhi(v.parent!)!);
      else {
        const list = v.parent!.instructions;
        const next = list[list.indexOf(v) + 1];
        if (!next) throw new Error(`demote: ${f.name}: value defined by a terminator cannot be demoted`);
        b.beforeInst(next);
      }
    } else throw new Error(`demote: ${f.name}: only arguments and instructions can be demoted`);
    b.store(v, slot);
    // Loads before uses.
    for (const u of users.get(v) ?? []) {
      if (u.opcode === "phi") {
        // One load per predecessor: a phi may list the same predecessor
        // twice and must then name the same value twice.
        const perPred = new Map<BasicBlock, Instruction>();
        u.operands.forEach((op, k) => {
          if (op !== v) return;
          const pred = u.blocks[k]!;
          let ld = perPred.get(pred);
          if (!ld) { ld = b.beforeInst(pred.terminator!).load(v.type, slot); perPred.set(pred, ld); }
          u.operands[k] = ld;
        });
      } else {
        const ld = b.beforeInst(u).load(v.type, slot);
        u.operands = u.operands.map((op) => (op === v ? ld : op));
      }
    }
  }
  return { slots };
}
