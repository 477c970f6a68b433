// Pass: fold what became constant, and drop the guards that cannot fail.
//
// After forward-loads a type-tag check `icmp eq i8 %t, 3` often compares
// two constants; its guard then checks `true`. And the interpreter checks
// the same condition again and again (the same tag of the same slot, or
// values it has just checked): once a guard on %c has passed, %c is true
// for the rest of the iteration.
//
// Assumes: a verified trace (src/trace-ir/trace.ts), root or side; guards
// that fail leave the block (so after a guard on %c, %c holds).
// Guarantees: walking the second block in program order,
//  - an instruction whose operands are constants (or a select whose
//    condition is, or an icmp of a value with itself) becomes the value
//    src/trace-interp/const-fold.ts computes for it;
//  - past a guard on %c (not a constant), every later use of %c in the
//    block, and its value on the back edge, is `true`; when %c is
//    `xor %x, true`, %x is false; when %c is `icmp eq %x, C` of integers
//    (or `icmp ne %x, C` is false), %x is C. The guard's own deopt values
//    are read only where it fails: there %c is false, and they follow the
//    same rules (%c is false; for `xor %x, true`, %x is true; for
//    `icmp ne %x, C`, %x is C), so fewer of them need carrying;
//  - a guard whose condition is then the constant true is removed, with its
//    deopt values (so a guard on the same SSA condition as an earlier one
//    goes too); a guard on the constant false stays (the trace always
//    leaves there).
// When guards were removed, the remaining ones are renumbered 0, 1, ... in
// the order of their old ids and `Trace.guards` holds only theirs: the
// deopt table and side-trace table then have no entries for guards that do
// not exist (the runtime refuses an object whose table has guards but no
// deopt call at all, which a side trace whose guards all fold would be).
// `Trace.upgradeGuard` follows its guard. The entry block is not changed.
// Instructions the folding made unused stay for dce.
import { ConstantInt, Instruction, constInt, forEachUse, i1, i32 } from "../ykir/index.js";
import type { Value } from "../ykir/index.js";
import { constBits, fold } from "../trace-interp/const-fold.js";
import { guardId, isGuard } from "../trace-ir/trace.js";
import type { Trace } from "../trace-ir/trace.js";

export const name = "fold-guards";

export function run(t: Trace): number {
  const body = t.fn.blocks[1]!;
  const repl = new Map<Value, Value>();
  const out: Instruction[] = [];
  let folded = 0;
  const removed = new Set<number>();
  for (const i of body.instructions) {
    if (i.opcode === "phi") { out.push(i); continue; }
    forEachUse(i, (v, set) => { const r = repl.get(v); if (r !== undefined) set(r); });
    if (isGuard(i)) {
      const c = i.operands[0]!;
      const bits = constBits(c);
      if (bits === 1n) { removed.add(guardId(i)); continue; }
      out.push(i);
      if (bits !== undefined) continue;
      // Where the guard fails (its deopt values are read only there), c is false.
      const failed = new Map<Value, Value>();
      learn(c, false, failed);
      for (const bd of i.bundles ?? []) bd.values = bd.values.map((v) => failed.get(v) ?? v);
      learn(c, true, repl);
      continue;
    }
    if (i.info.pure && !i.isTerminator && i.opcode !== "call" && i.opcode !== "load") {
      const r = fold(i, i.operands);
      if (r !== undefined) { repl.set(i, r); folded++; continue; }
    }
    out.push(i);
  }
  body.instructions = out;
  for (const p of out) {
    if (p.opcode !== "phi") break;
    p.operands = p.operands.map((v, k) => (p.blocks[k] === body ? repl.get(v) ?? v : v));
  }
  if (removed.size) renumber(t);
  return folded + removed.size;
}

/**
 * Records in `known` what follows from `c` being `holds`: c itself; for
 * `xor x, true`, x is the opposite; for an integer `icmp eq x, C` that
 * holds (or `icmp ne x, C` that does not), x is C.
 */
function learn(c: Value, holds: boolean, known: Map<Value, Value>, depth = 0): void {
  if (c.isConstant || known.has(c) || depth > 8) return;
  known.set(c, constInt(i1, holds ? 1 : 0));
  if (!(c instanceof Instruction)) return;
  const [a, b] = c.operands as [Value, Value];
  if (c.opcode === "xor" && c.type.isInt(1)) {
    if (constBits(b) === 1n) learn(a, !holds, known, depth + 1);
    else if (constBits(a) === 1n) learn(b, !holds, known, depth + 1);
  } else if (c.opcode === "icmp" && c.predicate === (holds ? "eq" : "ne") && a.type.isInt()) {
    if (b instanceof ConstantInt && !a.isConstant && !known.has(a)) known.set(a, b);
    else if (a instanceof ConstantInt && !b.isConstant && !known.has(b)) known.set(b, a);
  }
}

/** Renumbers the guards left in the trace 0, 1, ... (in the order of their ids); Trace.guards keeps only theirs. */
function renumber(t: Trace): void {
  const guards = t.fn.blocks[1]!.instructions.filter(isGuard).sort((a, b) => guardId(a) - guardId(b));
  let upgrade: number | undefined;
  t.guards = guards.map((g, k) => {
    const old = guardId(g);
    const info = t.guards[old]!;
    if (old === t.upgradeGuard) upgrade = k;
    g.operands[1] = constInt(i32, k);
    info.id = k;
    return info;
  });
  if (upgrade === undefined) delete t.upgradeGuard; else t.upgradeGuard = upgrade;
}
