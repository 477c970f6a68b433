// Small CFG edits the instrumenter needs on ykir functions: splitting a block
// and redirecting phis when a block's terminator moves to a new block.
import { BasicBlock, IRBuilder, addBlock } from "../ykir/index.js";
import type { Function, Instruction } from "../ykir/index.js";

/**
 * Splits `inst`'s block so that `inst` and everything after it move to a new
 * block placed right after it; the old block ends in `br` to the new one.
 * Phis in the successors now name the new block as their predecessor.
 */
export function splitBefore(inst: Instruction, name: string | null = null): BasicBlock {
  const b = inst.parent!;
  const f = b.parent!;
  const at = b.instructions.indexOf(inst);
  if (at < 0) throw new Error("splitBefore: instruction not in its block");
  const tail = addBlock(f, name, b);
  const moved = b.instructions.splice(at);
  for (const i of moved) tail.append(i);
  new IRBuilder().atEnd(b).br(tail);
  for (const s of tail.terminator?.successors ?? []) replacePredecessor(s, b, tail);
  return tail;
}

/** In `block`'s phis, every incoming edge from `from` now comes from `to`. */
export function replacePredecessor(block: BasicBlock, from: BasicBlock, to: BasicBlock): void {
  for (const i of block.instructions) {
    if (i.opcode !== "phi") break;
    i.blocks = i.blocks.map((p) => (p === from ? to : p));
  }
}

/** The first instruction of `b` that is not a phi (where code can be inserted at the block's start). */
export function firstNonPhi(b: BasicBlock): Instruction | undefined {
  return b.instructions.find((i) => i.opcode !== "phi");
}

/** A map from each block to its instruction positions, for stable value references. */
export function positions(f: Function): Map<Instruction, [number, number]> {
  const m = new Map<Instruction, [number, number]>();
  f.blocks.forEach((b, bi) => b.instructions.forEach((i, ii) => m.set(i, [bi, ii])));
  return m;
}
