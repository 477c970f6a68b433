// Pass: forward stored and loaded values to later loads of the same memory.
//
// An interpreter writes a value and its type tag into a stack slot and the
// next bytecode reads them back and checks the tag: in a trace that is
// `store i8 3, ptr %p` ... `%t = load i8, ptr %p` ... a guard on
// `%t == 3`. Forwarding makes %t the constant 3 (fold-guards then drops the
// guard, dce the address arithmetic); a value loaded twice with no store in
// between is loaded once.
//
// Assumes: a verified trace (src/trace-ir/trace.ts), root or side. Nothing
// but the trace's own instructions changes memory while the loop block (a
// side trace's body block) runs from its top to its end: a failing guard
// leaves that block (deopt, or a side trace after which a root trace starts
// its loop again at the top), other threads do not race with the trace.
// Guarantees: walking the second block in program order, a load is
// replaced by the value most recently stored to or loaded from the same
// address with the same size when nothing in between may have written
// there; when that value's type differs, both are integers or floating
// point of that width and the load becomes a bitcast of it (pointers and
// integers are never exchanged). The entry block is left as it is, and
// nothing is carried round the back edge. Stores are all kept (a guard's
// deopt resumes the interpreter, which reads memory).
//   Addresses are `base + constant offset`, constant getelementptrs
// stripped (their offsets by gepConstantOffset); integer constant
// addresses share one base. Two accesses are the same when base, offset and
// size are equal. They are disjoint when they have the same base and
// non-overlapping byte ranges, or their bases are two different allocas of
// the entry block and both accesses lie inside them, or one base is such an
// alloca whose address does not escape (it is only loaded from, stored to,
// offset, selected, carried by phis, compared with null, passed to
// llvm.lifetime; not stored as a value, passed to any other call, carried
// by a deopt bundle (a side trace could keep it), compared with anything
// else, converted to an integer or returned), the access lies inside it,
// and the other base is not derived from it. Anything else may alias: a
// store there forgets what was known about that memory. A call forgets
// everything, unless it cannot write memory: ykts.guard, llvm.lifetime.*,
// llvm.assume, llvm.dbg.*, llvm.experimental.noalias.scope.decl, the pure
// intrinsics of dce, or a call or callee marked memory(none) or
// memory(read) (readnone/readonly). Volatile or atomic loads and stores,
// fences, cmpxchg, atomicrmw and va_arg are never forwarded from or to and
// forget everything.
import { ConstantExpr, ConstantInt, Function as YFunction, Instruction, allFnAttrs, forEachUse, memoryEffects, typeEquals } from "../ykir/index.js";
import type { Type, Value } from "../ykir/index.js";
import { constBits } from "../trace-interp/const-fold.js";
import { gepConstantOffset, layoutOf } from "../trace-ir/layout.js";
import { isGuard } from "../trace-ir/trace.js";
import type { Trace } from "../trace-ir/trace.js";
import { isPureCall } from "./dce.js";

export const name = "forward-loads";

/** The base of integer constant addresses (`inttoptr (i64 C to ptr)`, null). */
const ABSOLUTE = "absolute";
type Base = Value | typeof ABSOLUTE;

/** A memory access: `size` bytes at `base + off`. */
interface Access { base: Base; off: bigint; size: bigint }
interface Known extends Access { type: Type; value: Value }
interface AllocaInfo { size: bigint; escapes: boolean; derived: Set<Value> }

/** Offsets this large could wrap round the address space: never claimed disjoint. */
const FAR = 1n << 60n;

/** `base + off` for an address, stripping getelementptrs with constant indices. */
export function splitAddress(p: Value): { base: Base; off: bigint } {
  let off = 0n;
  for (let n = 0; n < 1000; n++) {
    const bits = constBits(p);
    if (bits !== undefined) return { base: ABSOLUTE, off: BigInt.asIntN(64, off + bits) };
    if ((p instanceof Instruction || p instanceof ConstantExpr) && p.opcode === "getelementptr" && p.elemType && p.type.isPtr()) {
      const idx = p.operands.slice(1);
      if (idx.every((v) => v instanceof ConstantInt)) {
        const d = gepConstantOffset(p.elemType, idx.map((v) => (v as ConstantInt).signed));
        if (d !== undefined) { off += d; p = p.operands[0]!; continue; }
      }
    }
    break;
  }
  return { base: p, off: BigInt.asIntN(64, off) };
}

function sizeOf(t: Type): bigint | undefined {
  try { return BigInt(layoutOf(t).size); } catch { return undefined; }
}

export const simple = (i: Instruction) => !i.hasFlag("volatile") && !i.hasFlag("atomic") && !i.ordering;

const NO_WRITE = /^(ykts\.guard|llvm\.lifetime\.(start|end)(\..*)?|llvm\.assume|llvm\.dbg\..*|llvm\.experimental\.noalias\.scope\.decl)$/;

/** Whether a call may write memory the trace can read. */
export function callMayWrite(i: Instruction): boolean {
  const c = i.callee;
  if (c instanceof YFunction && c.name !== null && (NO_WRITE.test(c.name) || isPureCall(i))) return false;
  const reads = (m: ReturnType<typeof memoryEffects>) =>
    (m.default === "none" || m.default === "read") &&
    [m.argmem, m.inaccessiblemem].every((a) => a === undefined || a === "none" || a === "read");
  if (reads(memoryEffects(allFnAttrs(i)))) return false;
  if (c instanceof YFunction && reads(memoryEffects(allFnAttrs(c)))) return false;
  return true;
}

/** The entry block's allocas: their sizes, whether their address escapes, and the values derived from them. */
function allocaInfo(t: Trace): Map<Value, AllocaInfo> {
  const out = new Map<Value, AllocaInfo>();
  const entry = t.fn.blocks[0]!;
  const allocas = entry.instructions.filter((i) => i.opcode === "alloca" && i.operands.length === 0 && i.elemType);
  if (allocas.length === 0) return out;
  const users = new Map<Value, Instruction[]>();
  for (const b of t.fn.blocks)
    for (const i of b.instructions)
      forEachUse(i, (v) => {
        const l = users.get(v);
        if (l) { if (l[l.length - 1] !== i) l.push(i); } else users.set(v, [i]);
      });
  for (const a of allocas) {
    const size = sizeOf(a.elemType!);
    if (size === undefined) continue;
    const derived = new Set<Value>([a]);
    const work: Value[] = [a];
    let escapes = false;
    while (work.length && !escapes) {
      const v = work.pop()!;
      for (const u of users.get(v) ?? []) {
        const ops = u.operands;
        const onlyAt = (k: number) => ops.every((o, j) => j === k || o !== v) && !(u.bundles ?? []).some((bd) => bd.values.includes(v));
        let derives = false, ok = false;
        switch (u.opcode) {
          case "load": ok = true; break;
          case "store": ok = onlyAt(1); break;
          case "getelementptr": case "bitcast": derives = ok = onlyAt(0); break;
          case "select": derives = ok = ops[0] !== v; break;
          case "phi": derives = ok = true; break;
          case "icmp": ok = ops.some((o) => o.vkind === "null"); break;
          case "call": {
            const f = u.callee;
            ok = f instanceof YFunction && f.name !== null && /^llvm\.lifetime\.(start|end)/.test(f.name) && !(u.bundles ?? []).length && f !== v;
            break;
          }
        }
        if (!ok) { escapes = true; break; }
        if (derives && !derived.has(u)) { derived.add(u); work.push(u); }
      }
    }
    out.set(a, { size, escapes, derived });
  }
  return out;
}

/** The trace's memory as the pass sees it: what an access is, and which two may overlap. */
export interface MemoryModel {
  access(p: Value, t: Type): Access | undefined;
  mayAlias(x: Access, y: Access): boolean;
}
export type { Access, Base };
export { ABSOLUTE };

export function memoryModel(t: Trace): MemoryModel {
  const allocas = allocaInfo(t);
  const overlap = (x: Access, y: Access) =>
    x.off <= -FAR || x.off >= FAR || y.off <= -FAR || y.off >= FAR || (x.off < y.off + y.size && y.off < x.off + x.size);
  /** The alloca an access lies inside, if its base is one. */
  const inside = (x: Access) => {
    const a = x.base === ABSOLUTE ? undefined : allocas.get(x.base);
    return a && x.off >= 0n && x.off + x.size <= a.size ? a : undefined;
  };
  const mayAlias = (x: Access, y: Access): boolean => {
    if (x.base === y.base) return overlap(x, y);
    const ax = inside(x), ay = inside(y);
    if (ax && ay) return false;
    if (ax && !ax.escapes && !ax.derived.has(y.base as Value)) return false;
    if (ay && !ay.escapes && !ay.derived.has(x.base as Value)) return false;
    return true;
  };

  const access = (p: Value, t: Type): Access | undefined => {
    const size = sizeOf(t);
    return size === undefined ? undefined : { ...splitAddress(p), size };
  };
  return { access, mayAlias };
}

export function run(t: Trace): number {
  const body = t.fn.blocks[1]!;
  const { access, mayAlias } = memoryModel(t);
  const known = new Map<Base, Known[]>();
  const forget = (x: Access) => {
    for (const [b, l] of known) {
      const keep = l.filter((k) => !mayAlias(x, k));
      if (keep.length === 0) known.delete(b); else if (keep.length !== l.length) known.set(b, keep);
    }
  };
  const remember = (k: Known) => {
    const l = known.get(k.base);
    if (l) l.push(k); else known.set(k.base, [k]);
  };

  const repl = new Map<Value, Value>();
  const out: Instruction[] = [];
  let n = 0;
  for (const i of body.instructions) {
    if (i.opcode !== "phi") forEachUse(i, (v, set) => { const r = repl.get(v); if (r !== undefined) set(r); });
    if (i.opcode === "load") {
      const a = simple(i) ? access(i.operands[0]!, i.type) : undefined;
      if (!a) { if (!simple(i)) known.clear(); out.push(i); continue; }
      const k = known.get(a.base)?.find((k) => k.off === a.off && k.size === a.size && compatible(k.type, i.type));
      if (!k) { remember({ ...a, type: i.type, value: i }); out.push(i); continue; }
      n++;
      if (typeEquals(k.type, i.type)) { repl.set(i, k.value); continue; }
      const c = new Instruction("bitcast", i.type, [k.value], null);
      c.parent = body;
      out.push(c);
      repl.set(i, c);
      continue;
    }
    out.push(i);
    if (i.opcode === "store") {
      const a = simple(i) ? access(i.operands[1]!, i.operands[0]!.type) : undefined;
      if (!a) { known.clear(); continue; }
      forget(a);
      remember({ ...a, type: i.operands[0]!.type, value: i.operands[0]! });
      continue;
    }
    if (i.opcode === "call") {
      if (!isGuard(i) && callMayWrite(i)) known.clear();
      continue;
    }
    if (i.info.mayWrite || i.info.mayRead || i.info.sideEffects) known.clear();
  }
  body.instructions = out;
  for (const p of out) {
    if (p.opcode !== "phi") break;
    p.operands = p.operands.map((v) => repl.get(v) ?? v);
  }
  return n;
}

/** A value of type `from` can stand for a load of `to` of the same size: the same type, or a bitcast between integer and floating-point types of one width. */
export function compatible(from: Type, to: Type): boolean {
  if (typeEquals(from, to)) return true;
  const bits = (t: Type) => (t.isInt() || t.isFloatingPoint() ? (t as unknown as { bits: number }).bits : undefined);
  const a = bits(from), b = bits(to);
  return a !== undefined && a === b && BigInt(a) === 8n * (sizeOf(to) ?? 0n) && !(from.isInt() && to.isInt());
}
