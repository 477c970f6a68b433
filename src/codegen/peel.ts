// LLVM backend: peel a looping root trace's first iteration.
//
// An interpreter keeps its guest's values in memory, so each iteration of
// a trace loads the slots the last one stored (minilua: a value and a type
// tag per Lua register) and checks their tags again. Within one iteration
// forward-loads makes those loads values; across the back edge it cannot,
// because on the first iteration memory holds whatever the interpreter
// left there. With a copy of the iteration in front of the loop, every
// slot the iteration stores is stored on both ways into the loop header
// (the peeled copy and the previous iteration), so clang's GVN replaces
// the header's loads of it by phis of the stored values; a tag the
// iteration always stores as the same constant becomes that constant, and
// the guards that checked it fold away. The peeled copy keeps the loads and
// the checks: it is the iteration that starts from memory.
//
// Assumes: the trace is a root trace that loops (two blocks, entry and the
// loop, src/trace-ir/trace.ts), before rootReload and guard expansion.
// Guarantees: blocks entry, peel, loop; entry enters peel, peel ends by
// entering loop; peel is the loop's instructions with each loop phi
// replaced by its value from entry; every loop phi takes its value at the
// end of peel in place of the one from entry. Guards are copied with their
// ids: both copies of guard N leave to the same place with the same
// values (the runtime finds a deopt call's values by its return address,
// and keeps a plan per guard and call).
import { BasicBlock, Instruction } from "../ykir/index.js";
import type { Function, Value } from "../ykir/index.js";
import { isGuard } from "../trace-ir/trace.js";
import type { Trace } from "../trace-ir/trace.js";
import { cloneInst } from "./clone.js";

/** At most this many guards, and this many instructions, in a trace that is peeled: clang's time doubles with it. */
export const PEEL_MAX_GUARDS = Number(process.env.YKTS_PEEL_MAX_GUARDS ?? 64);
export const PEEL_MAX_INSTS = 1500;

/** Whether emitLLVM peels the trace (YKTS_PEEL=0 switches it off). */
export function shouldPeel(t: Trace): boolean {
  if (process.env.YKTS_PEEL === "0") return false;
  const loop = t.fn.blocks[1];
  if (!loop || t.fn.blocks.length !== 2) return false;
  const insts = loop.instructions;
  return insts.length <= PEEL_MAX_INSTS && insts.filter(isGuard).length <= PEEL_MAX_GUARDS;
}

/** Inserts the peeled iteration between entry and loop; returns it. */
export function peelFirstIteration(fn: Function, entry: BasicBlock, loop: BasicBlock): BasicBlock {
  const peel = new BasicBlock("peel");
  peel.parent = fn;
  const phis = loop.instructions.filter((i) => i.opcode === "phi");
  const map = new Map<Value, Value>();
  for (const p of phis) {
    const k = p.blocks.indexOf(entry);
    if (k < 0) throw new Error("peel: a loop phi has no value from entry");
    map.set(p, p.operands[k]!);
  }
  const mapped = (v: Value) => map.get(v) ?? v;
  for (const i of loop.instructions) {
    if (i.opcode === "phi") continue;
    if (i.isTerminator) {
      if (i.opcode !== "br" || i.blocks.length !== 1 || i.blocks[0] !== loop) throw new Error("peel: the loop does not end by going round");
      const br = new Instruction("br", i.type, [], null);
      br.blocks = [loop];
      peel.append(br);
      continue;
    }
    map.set(i, peel.append(cloneInst(i, mapped)));
  }
  for (const p of phis) {
    const ke = p.blocks.indexOf(entry), kl = p.blocks.indexOf(loop);
    p.operands[ke] = mapped(p.operands[kl]!);
    p.blocks[ke] = peel;
  }
  const term = entry.instructions[entry.instructions.length - 1]!;
  term.blocks = term.blocks.map((b) => (b === loop ? peel : b));
  fn.blocks.splice(fn.blocks.indexOf(loop), 0, peel);
  return peel;
}
