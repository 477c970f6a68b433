// Folding as the trace builder emits: an instruction whose operands are
// all constants in the trace becomes a constant instead of an instruction.
//
// Promotion makes this pay: once an interpreter's `pc` is a constant, the
// instruction word fetched through an idempotent function is one too, and
// so is every field decoded from it, the opcode the dispatch switches on,
// the next `pc`, and the guards on all of them. Folding while building
// means those guards never exist (a guard whose condition folds to true is
// not emitted), the next promote of `pc` needs no guard, and an idempotent
// call whose arguments come out constant can use its recorded result.
//
// Scope: integer and pointer scalars. A constant pointer is
// `inttoptr (i64 C to ptr)` (or null); globals are not addresses here, so
// arithmetic on them is left to LLVM. Overflowing `nsw`/`nuw`/`inbounds`
// arithmetic folds to the wrapped value, a refinement of the poison LLVM
// would give; division by zero and out-of-range shifts are not folded.
import { ConstantExpr, ConstantInt, ConstantNull, IntType, PtrType, constInt, i64, ptr } from "../ykir/index.js";
import type { Instruction, Type, Value } from "../ykir/index.js";
import { gepConstantOffset } from "../trace-ir/layout.js";
import { icmpBits } from "../ykir/icmp.js";

/** The bits of an integer or pointer constant (pointers as u64), or undefined. */
export function constBits(v: Value): bigint | undefined {
  if (v instanceof ConstantInt) return v.value;
  if (v instanceof ConstantNull && v.type instanceof PtrType) return 0n;
  if (v instanceof ConstantExpr && v.opcode === "inttoptr" && v.operands[0] instanceof ConstantInt)
    return BigInt.asUintN(64, v.operands[0].value);
  return undefined;
}

/** The constant of an integer or pointer type with these bits (truncated to the type). */
export function constOf(t: Type, bits: bigint): ConstantInt | ConstantNull | ConstantExpr {
  if (t instanceof IntType) return constInt(t, BigInt.asUintN(t.bits, bits));
  if (t instanceof PtrType) {
    const b = BigInt.asUintN(64, bits);
    if (b === 0n) return new ConstantNull(t);
    return new ConstantExpr(t, "inttoptr", [constInt(i64, b)]);
  }
  throw new Error(`constOf: ${t} is not an integer or pointer type`);
}

const width = (t: Type): number | undefined => (t instanceof IntType ? t.bits : t instanceof PtrType && t === ptr ? 64 : undefined);

/**
 * The value `inst` computes when its operands are `ops` (trace values), if
 * that is known without running it: a constant, or for `select` with a
 * constant condition the chosen operand. undefined: emit the instruction.
 */
export function fold(inst: Instruction, ops: Value[]): Value | undefined {
  if (inst.opcode === "select") {
    const c = constBits(ops[0]!);
    if (c !== undefined && inst.operands[0]!.type instanceof IntType) return c ? ops[1] : ops[2];
    return undefined;
  }
  if (inst.opcode === "icmp" && ops[0] === ops[1]) {
    const p = inst.predicate!;
    if (inst.type instanceof IntType) return constInt(inst.type, ["eq", "uge", "ule", "sge", "sle"].includes(p) ? 1 : 0);
  }
  const w = width(inst.type);
  if (w === undefined) return undefined;
  const bits: bigint[] = [];
  for (const o of ops) {
    const b = constBits(o);
    if (b === undefined) return undefined;
    bits.push(b);
  }
  const r = foldBits(inst, bits, w);
  return r === undefined ? undefined : constOf(inst.type, r);
}

function foldBits(inst: Instruction, x: bigint[], w: number): bigint | undefined {
  const srcW = width(inst.operands[0]!.type);
  const u = (v: bigint, n = w) => BigInt.asUintN(n, v);
  const s = (v: bigint, n = w) => BigInt.asIntN(n, v);
  const [a, b] = [x[0]!, x[1]!];
  switch (inst.opcode) {
    case "add": return u(a + b);
    case "sub": return u(a - b);
    case "mul": return u(a * b);
    case "and": return a & b;
    case "or": return a | b;
    case "xor": return a ^ b;
    case "shl": return b < BigInt(w) ? u(a << b) : undefined;
    case "lshr": return b < BigInt(w) ? a >> b : undefined;
    case "ashr": return b < BigInt(w) ? u(s(a) >> b) : undefined;
    case "udiv": return b === 0n ? undefined : a / b;
    case "urem": return b === 0n ? undefined : a % b;
    case "sdiv": case "srem": {
      if (b === 0n || (s(b) === -1n && s(a) === -(1n << BigInt(w - 1)))) return undefined;
      return u(inst.opcode === "sdiv" ? s(a) / s(b) : s(a) % s(b)); // BigInt division truncates, like LLVM's
    }
    case "trunc": case "zext": case "ptrtoint": case "inttoptr": case "bitcast": case "freeze": return u(a);
    case "sext": return srcW === undefined ? undefined : u(s(a, srcW));
    case "icmp": {
      if (srcW === undefined) return undefined;
      return icmp(inst.predicate!, a, b, srcW) ? 1n : 0n;
    }
    case "getelementptr": {
      const widths = inst.operands.slice(1).map((o) => width(o.type));
      if (widths.some((w) => w === undefined)) return undefined;
      const off = gepConstantOffset(inst.elemType!, x.slice(1).map((v, k) => BigInt.asIntN(widths[k]!, v)));
      return off === undefined ? undefined : u(a + off, 64);
    }
    default: return undefined;
  }
}

function icmp(p: string, a: bigint, b: bigint, w: number): boolean {
  const r = icmpBits(p, a, b, w);
  if (r === null) throw new Error(`icmp predicate ${p}`);
  return r;
}

