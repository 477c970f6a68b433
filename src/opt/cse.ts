// Pass: common subexpression elimination of pure instructions.
//
// The trace builder replays the interpreter's code block by block, and the
// interpreter computes the same things again and again: minilua's
// `base + A` for every access of register A (`getelementptr %struct.TValue,
// ptr %base, i64 17` three times in one bytecode), the same tag compare in
// consecutive bytecodes once forward-loads has made their loads one value.
// A third of a minilua trace's instructions were such copies. Each copy
// costs the code generator and clang time, and a compare that is one SSA
// value with an earlier guarded one lets fold-guards drop its guard.
//
// Assumes: a verified trace (src/trace-ir/trace.ts), root or side: two
// blocks, the first (entry) dominating the second, each straight-line code.
// Guarantees: walking the entry block and then the second block in program
// order, a pure instruction (ykir's `pure` opcodes: arithmetic, compares,
// casts, getelementptr, select, vector and aggregate element operations;
// never loads, calls, phis, allocas or freeze) that computes exactly what
// an earlier one computes is removed and its uses, everywhere (operands,
// "deopt" bundle values, phis on the back edge, `Trace.entryChecks`), take
// the earlier one. Exactly: same opcode, result type, flags (nsw, inbounds,
// fast-math, ...: an instruction with other flags may be poison where the
// earlier one is not, so it is kept), predicate, source element type and
// indices, and the same operands, after this pass's own replacements, in
// the same order, or in either order for add, mul, and, or, xor, fadd and
// fmul. Operands are the same when they are the same value or constants
// of the same type and bits. The earlier instruction dominates every use
// it takes over (it is earlier in the same block, or in the entry block),
// and a pure instruction has no effect but its result, so the trace
// computes the same results, memory effects and guard outcomes. Division
// and remainder are pure here: the copy runs after its original, which
// did not trap. Nothing is reordered or hoisted; metadata of the removed
// copies goes with them.
import { ConstantFP, Function as YFunction, GlobalVariable, Instruction, forEachUse, typeKey } from "../ykir/index.js";
import type { Value } from "../ykir/index.js";
import { constBits } from "../trace-interp/const-fold.js";
import type { Trace } from "../trace-ir/trace.js";

export const name = "cse";

const COMMUTATIVE = new Set(["add", "mul", "and", "or", "xor", "fadd", "fmul"]);

/** Whether `i` is one this pass may remove as a copy of an earlier one. */
function candidate(i: Instruction): boolean {
  return i.info.pure && !i.isTerminator && i.opcode !== "call" && i.opcode !== "load";
}

export function run(t: Trace): number {
  const ids = new Map<Value, number>();
  const keyOf = (v: Value): string => {
    const bits = constBits(v);
    if (bits !== undefined) return `c${typeKey(v.type)}:${bits}`;
    if (v instanceof ConstantFP) return `f${typeKey(v.type)}:${v.text}`;
    if (v instanceof YFunction || v instanceof GlobalVariable) return `@${v.name}`;
    let id = ids.get(v);
    if (id === undefined) ids.set(v, (id = ids.size));
    return `v${id}`;
  };
  const repl = new Map<Value, Value>();
  const seen = new Map<string, Instruction>();
  let removed = 0;
  for (const b of t.fn.blocks) {
    const out: Instruction[] = [];
    for (const i of b.instructions) {
      forEachUse(i, (v, set) => { const r = repl.get(v); if (r) set(r); });
      if (!candidate(i)) { out.push(i); continue; }
      const ops = i.operands.map(keyOf);
      if (COMMUTATIVE.has(i.opcode) && ops[0]! > ops[1]!) ops.reverse();
      const key = [i.opcode, typeKey(i.type), i.flags.join(" "), i.predicate ?? "", i.elemType ? typeKey(i.elemType) : "",
        (i.indices ?? []).join(","), ...ops].join("|");
      const first = seen.get(key);
      if (first) { repl.set(i, first); removed++; continue; }
      seen.set(key, i);
      out.push(i);
    }
    b.instructions = out;
  }
  if (!removed) return 0;
  // Phis of the second block take their back-edge values from later in it.
  for (const b of t.fn.blocks)
    for (const i of b.instructions) forEachUse(i, (v, set) => { const r = repl.get(v); if (r) set(r); });
  if (t.entryChecks) t.entryChecks = t.entryChecks.map((v) => repl.get(v) ?? v);
  return removed;
}
