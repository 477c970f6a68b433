// The trace IR verifier: run after the trace builder and after every pass.
// Checks the shape of src/trace-ir/trace.ts: two blocks (entry, loop), the
// entry ends in `br label %loop`, the loop starts with its phis (one
// incoming value from entry, one from loop) and ends in `br label %loop`,
// no other terminator, every operand defined before its use (phis may use
// loop values: that is the back edge), operand types of the common
// instructions consistent, every guard's id names a guard whose frames hold
// exactly as many slots as the guard has deopt values. The second block of
// a side trace and of an `exitsToLoc` root trace has no phis and ends in
// `ret` instead.
// Returns the problems found (empty: the trace is well formed).
import { Argument, Instruction, typeEquals } from "../ykir/index.js";
import type { Value } from "../ykir/index.js";
import { guardId, guardStores, guardValues, isGuard, loops } from "./trace.js";
import type { Trace } from "./trace.js";

const BINARY = new Set(["add", "sub", "mul", "udiv", "sdiv", "urem", "srem", "shl", "lshr", "ashr", "and", "or", "xor", "fadd", "fsub", "fmul", "fdiv", "frem"]);

export function verifyTrace(t: Trace): string[] {
  const out: string[] = [];
  const fn = t.fn;
  if (fn.blocks.length !== 2) return [`the trace function has ${fn.blocks.length} blocks, expected 2 (entry, loop)`];
  const [entry, loop] = fn.blocks as [typeof fn.blocks[0], typeof fn.blocks[0]];
  const defined = new Set<Value>(fn.args);
  const where = (i: Instruction, k: number) => `${i.opcode} #${k}`;

  const check = (i: Instruction, k: number, allowLater: boolean, later: Set<Value>) => {
    for (const o of i.operands) {
      if (o instanceof Instruction || o instanceof Argument) {
        if (!defined.has(o) && !(allowLater && later.has(o))) out.push(`${where(i, k)}: operand used before its definition`);
      }
    }
    for (const bd of i.bundles ?? []) for (const v of bd.values)
      if ((v instanceof Instruction || v instanceof Argument) && !defined.has(v)) out.push(`${where(i, k)}: deopt value used before its definition`);
    if (BINARY.has(i.opcode) && (!typeEquals(i.operands[0]!.type, i.type) || !typeEquals(i.operands[1]!.type, i.type)))
      out.push(`${where(i, k)}: operand types differ from the result type ${i.type}`);
    if ((i.opcode === "icmp" || i.opcode === "fcmp") && !typeEquals(i.operands[0]!.type, i.operands[1]!.type))
      out.push(`${where(i, k)}: compares ${i.operands[0]!.type} with ${i.operands[1]!.type}`);
    if (i.opcode === "store" && i.operands.length !== 2) out.push(`${where(i, k)}: store needs two operands`);
  };

  entry.instructions.forEach((i, k) => {
    if (i.isTerminator) {
      if (k !== entry.instructions.length - 1 || i.opcode !== "br" || i.blocks[0] !== loop) out.push(`entry: bad terminator ${i.opcode}`);
      return;
    }
    check(i, k, false, new Set());
    defined.add(i);
  });
  if (!entry.terminator) out.push("entry has no terminator");
  for (const c of t.entryChecks ?? [])
    if (!(c instanceof Instruction) || c.parent !== entry || !c.type.isInt(1)) out.push("an entry check is not an i1 computed in entry");

  const loopValues = new Set<Value>(loop.instructions);
  let phisDone = false;
  loop.instructions.forEach((i, k) => {
    if (i.opcode === "phi") {
      if (!loops(t)) out.push(`body #${k}: a trace that does not loop has no phis`);
      if (phisDone) out.push(`loop #${k}: phi after a non-phi`);
      if (i.blocks.length !== 2 || i.blocks[0] !== entry || i.blocks[1] !== loop) out.push(`loop #${k}: a phi needs exactly [entry, loop] predecessors`);
      const init = i.operands[0];
      if (init instanceof Instruction && !defined.has(init)) out.push(`loop #${k}: phi's entry value is not from entry`);
      for (const o of i.operands) if (!typeEquals(o.type, i.type)) out.push(`loop #${k}: phi of ${i.type} has an operand of ${o.type}`);
      defined.add(i);
      return;
    }
    phisDone = true;
    if (i.isTerminator) {
      if (!loops(t)) {
        if (k !== loop.instructions.length - 1 || i.opcode !== "ret")
          out.push(`body #${k}: only the final ret of a trace that does not loop may be a terminator`);
      } else if (k !== loop.instructions.length - 1 || i.opcode !== "br" || i.blocks.length !== 1 || i.blocks[0] !== loop)
        out.push(`loop #${k}: only the final br label %loop may be a terminator`);
      return;
    }
    check(i, k, false, loopValues);
    if (isGuard(i)) {
      if (!i.operands[0]!.type.isInt(1)) out.push(`loop #${k}: guard condition is not i1`);
      const g = t.guards[guardId(i)];
      if (!g) out.push(`loop #${k}: guard ${guardId(i)} has no frames`);
      else {
        let n = 0;
        for (const f of g.frames) for (const x of f.slots) if (x.source === 0) n++;
        if (n !== guardValues(i).length) out.push(`loop #${k}: guard ${g.id} carries ${guardValues(i).length} values, its frames have ${n} slots`);
      }
      const st = guardStores(i);
      if (st.length % 2) out.push(`loop #${k}: guard ${guardId(i)} has an odd number of "ykts.stores" values`);
      for (let j = 0; j < st.length; j += 2) if (!st[j]!.type.isPtr()) out.push(`loop #${k}: guard ${guardId(i)} stores through a ${st[j]!.type}`);
    }
    defined.add(i);
  });
  if (!loop.terminator) out.push("loop has no terminator");
  for (const i of loop.instructions) {
    if (i.opcode !== "phi") break;
    const back = i.operands[1];
    if (back instanceof Instruction && !defined.has(back)) out.push("a phi's loop value is not defined in the trace");
  }
  for (const p of t.promoted ?? []) {
    if (!p.addr.type.isPtr() || ((p.addr instanceof Instruction || p.addr instanceof Argument) && !defined.has(p.addr))) out.push("a promoted slot's address is not a pointer defined in the trace");
    if (p.phi.opcode !== "phi" || p.phi.parent !== loop) out.push("a promoted slot's phi is not a phi of the loop");
  }
  return out;
}
