// The reference evaluator: runs ykir functions in TypeScript over a
// simulated memory (eval-memory.ts), as the oracle the tests of the trace
// passes compare against (src/trace-ir/eval-trace.ts runs traces with it;
// docs/traces.md, "The reference evaluator").
//
// Values: integers of any width and pointers are bigints (unsigned, in
// their width); half-less floating point is a JS number (float rounded with
// Math.fround); vectors, arrays and structs are arrays of their elements.
// `undef` and `poison` evaluate to zero; integer arithmetic wraps, and an
// `nsw`/`nuw`/`exact` violation is counted (`Evaluator.poison`), not
// refused. Memory layout is x86-64's (src/trace-ir/layout.ts).
//
// What it does not know it refuses: an instruction, intrinsic or type it
// does not implement throws EvalUnsupported naming it (printed with the
// ykir printer), and so does a call to a function that is neither an
// intrinsic it implements nor in the caller's table of models
// (`externals`); a defined ykir function may be run itself
// (`runDefined`). Division by zero and the like throw EvalUndefined. It
// never guesses.
import { BasicBlock, Function, GlobalValue } from "./module.js";
import { Argument, InlineAsm, type Value } from "./value.js";
import { Instruction } from "./instruction.js";
import {
  Constant, ConstantAggregate, ConstantExpr, ConstantFP, ConstantInt, ConstantNull, ConstantPoison, ConstantSplat, ConstantString,
  ConstantUndef, ConstantZero,
} from "./constants.js";
import { ArrayType, FloatType, IntType, PtrType, StructType, VectorType, type Type } from "./types.js";
import { allFnAttrs, memoryEffects } from "./attributes.js";
import { printInstruction, printValueRef } from "./printer.js";
import { layoutOf, structLayout } from "../trace-ir/layout.js";
import { SimMemory, bigintOfBytes, bytesOfBigint, hashString, mix32 } from "./eval-memory.js";
import { icmpBits } from "./icmp.js";

export type RtValue = bigint | number | RtValue[];

export class EvalUnsupported extends Error {}
export class EvalUndefined extends Error {}
export class EvalFuel extends Error {}

/** A model of an external function: the arguments' values in, the result out (undefined for void). */
export type ExternalModel = (args: RtValue[], ctx: CallContext) => RtValue | undefined;
export interface CallContext { ev: Evaluator; name: string; call: Instruction; fn: Function | null }

/** Where each load last read from, for tools that choose inputs (eval-trace.ts's steering). */
export interface LoadInfo { addr: bigint; size: number; epoch: number; initial: boolean }

export interface EvalOptions {
  /** Models of functions by name; undefined: not modelled. */
  externals?: (name: string, fn: Function | null) => ExternalModel | undefined;
  /** Run the body of a called function that has ykir (default false: it must be modelled). */
  runDefined?: boolean;
  /** Instructions to execute at most (EvalFuel after). */
  fuel?: number;
  /** Address of an alloca (default: a bump allocator in the stack region). */
  allocaAddress?: (i: Instruction, size: number) => bigint;
  /** Calls handled before anything else (the trace's guards): return undefined to fall through. */
  intercept?: (call: Instruction, args: RtValue[], frame: EvalFrame) => { value: RtValue | undefined } | undefined;
}

/** A function's activation: its values and the loads' last addresses. */
export interface EvalFrame {
  fn: Function;
  env: Map<Value, RtValue>;
  loads: Map<Instruction, LoadInfo>;
  depth: number;
}

/** Entering a block: return "stop" to end the run there (the function does not return). */
export type BlockHook = (to: BasicBlock, from: BasicBlock | null, frame: EvalFrame) => "stop" | void;

export const STACK_BASE = 0x7ff0_0000_0000n;
export const GLOBAL_BASE = 0x5000_0000_0000n;

const alignTo = (n: number, a: number) => Math.ceil(n / a) * a;
const mask = (bits: number, v: bigint) => BigInt.asUintN(bits, v);
const sgn = (bits: number, v: bigint) => BigInt.asIntN(bits, v);

function what(i: Instruction): string {
  let s: string;
  try { s = printInstruction(i).trim(); } catch { s = i.opcode; }
  return s.length > 200 ? s.slice(0, 200) + "..." : s;
}

export function intBits(t: Type): number {
  if (t instanceof IntType) return t.bits;
  if (t instanceof PtrType) return 64;
  throw new EvalUnsupported(`not an integer or pointer type: ${t}`);
}

function isF(t: Type): t is FloatType { return t instanceof FloatType; }
function checkFloat(t: FloatType): void {
  if (t.fkind !== "float" && t.fkind !== "double") throw new EvalUnsupported(`floating-point type ${t}`);
}
const fround = (t: Type, x: number) => ((t as FloatType).fkind === "float" ? Math.fround(x) : x);

/** The zero value of a type. */
export function zeroOf(t: Type): RtValue {
  if (t instanceof IntType || t instanceof PtrType) return 0n;
  if (t instanceof FloatType) { checkFloat(t); return 0; }
  if (t instanceof VectorType) return Array.from({ length: t.length }, () => zeroOf(t.elem));
  if (t instanceof ArrayType) return Array.from({ length: t.length }, () => zeroOf(t.elem));
  if (t instanceof StructType && t.elems) return t.elems.map(zeroOf);
  throw new EvalUnsupported(`no value of type ${t}`);
}

/** A value in memory's byte form (the type's store size). */
export function encode(t: Type, v: RtValue): Uint8Array {
  const size = layoutOf(t).size;
  const out = new Uint8Array(size);
  put(t, v, out, 0);
  return out;
}
function put(t: Type, v: RtValue, out: Uint8Array, at: number): void {
  if (t instanceof IntType || t instanceof PtrType) {
    out.set(bytesOfBigint(v as bigint, layoutOf(t).size), at);
  } else if (t instanceof FloatType) {
    checkFloat(t);
    const dv = new DataView(out.buffer, out.byteOffset + at);
    if (t.fkind === "float") dv.setFloat32(0, v as number, true); else dv.setFloat64(0, v as number, true);
  } else if (t instanceof ArrayType || t instanceof VectorType) {
    if (t instanceof VectorType && (t.scalable || t.elem.isInt(1))) throw new EvalUnsupported(`memory form of ${t}`);
    const e = layoutOf(t.elem);
    const step = t instanceof VectorType ? e.size : alignTo(e.size, e.align);
    (v as RtValue[]).forEach((x, k) => put(t.elem, x, out, at + k * step));
  } else if (t instanceof StructType && t.elems) {
    const { offsets } = structLayout(t.elems, t.packed);
    t.elems.forEach((e, k) => put(e, (v as RtValue[])[k]!, out, at + offsets[k]!));
  } else throw new EvalUnsupported(`memory form of ${t}`);
}

export function decode(t: Type, b: Uint8Array, at = 0): RtValue {
  if (t instanceof IntType) {
    const size = layoutOf(t).size;
    return mask(t.bits, bigintOfBytes(b.subarray(at, at + size)));
  }
  if (t instanceof PtrType) return bigintOfBytes(b.subarray(at, at + 8));
  if (t instanceof FloatType) {
    checkFloat(t);
    const dv = new DataView(b.buffer, b.byteOffset + at);
    return t.fkind === "float" ? dv.getFloat32(0, true) : dv.getFloat64(0, true);
  }
  if (t instanceof ArrayType || t instanceof VectorType) {
    if (t instanceof VectorType && (t.scalable || t.elem.isInt(1))) throw new EvalUnsupported(`memory form of ${t}`);
    const e = layoutOf(t.elem);
    const step = t instanceof VectorType ? e.size : alignTo(e.size, e.align);
    return Array.from({ length: t.length }, (_, k) => decode(t.elem, b, at + k * step));
  }
  if (t instanceof StructType && t.elems) {
    const { offsets } = structLayout(t.elems, t.packed);
    return t.elems.map((e, k) => decode(e, b, at + offsets[k]!));
  }
  throw new EvalUnsupported(`memory form of ${t}`);
}

/** A value as text, for results and messages: `i32 5`, `ptr 0x10`, `double 0x3ff0000000000000` (bits). */
export function showValue(t: Type, v: RtValue): string {
  if (t instanceof IntType) return `${t} ${v as bigint}`;
  if (t instanceof PtrType) return `ptr 0x${(v as bigint).toString(16)}`;
  if (t instanceof FloatType) return `${t} 0x${bigintOfBytes(encode(t, v)).toString(16)}`;
  if (t instanceof VectorType || t instanceof ArrayType) return `${t} [${(v as RtValue[]).map((x) => showValue(t.elem, x)).join(", ")}]`;
  if (t instanceof StructType && t.elems) return `{ ${(v as RtValue[]).map((x, k) => showValue(t.elems![k]!, x)).join(", ")} }`;
  return `${t} ?`;
}

const PURE_INTRINSIC_NOOP = /^llvm\.(lifetime\.(start|end)|assume|dbg\.|experimental\.noalias\.scope\.decl|invariant\.(start|end)|donothing|sideeffect|pseudoprobe)/;

export class Evaluator {
  /** Executed instructions. */
  steps = 0;
  /** Instructions whose nsw/nuw/exact/nneg/disjoint promise was broken (LLVM: poison; here: the wrapped value). */
  poison = 0;
  /** External calls made, in order: `name(args)`. */
  calls: string[] = [];
  private globalAddr = new Map<GlobalValue, bigint>();
  private addrGlobal = new Map<bigint, GlobalValue>();
  private usedGlobalSlots = new Set<bigint>();
  private stackTop = STACK_BASE;
  private fuel: number;

  constructor(readonly mem: SimMemory, readonly o: EvalOptions = {}) {
    this.fuel = o.fuel ?? 5_000_000;
  }

  /**
   * A global's address: a 16 MB slot of its own from a hash of its name (so
   * the same in every run), the same object for the same name.
   */
  addressOf(g: GlobalValue): bigint {
    let a = this.globalAddr.get(g);
    if (a !== undefined) return a;
    if (g.name === null) throw new EvalUnsupported("address of an unnamed global");
    for (const [x, addr] of this.globalAddr) if (x.name === g.name) { this.globalAddr.set(g, addr); return addr; }
    let slot = BigInt(hashString(g.name) & 0xfffff);
    while (this.usedGlobalSlots.has(slot)) slot = (slot + 1n) & 0xfffffn;
    this.usedGlobalSlots.add(slot);
    a = GLOBAL_BASE + (slot << 24n);
    this.globalAddr.set(g, a);
    this.addrGlobal.set(a, g);
    return a;
  }

  /** The global at exactly this address, if any has been given one. */
  globalAt(addr: bigint): GlobalValue | undefined { return this.addrGlobal.get(addr); }

  newFrame(fn: Function, args: RtValue[], depth = 0): EvalFrame {
    const env = new Map<Value, RtValue>();
    fn.args.forEach((a, k) => env.set(a, args[k]!));
    return { fn, env, loads: new Map(), depth };
  }

  /**
   * Runs `fn` from its entry block; returns its result (undefined for void),
   * or "stopped" when `onBlock` stopped it.
   */
  runFunction(fn: Function, args: RtValue[], onBlock?: BlockHook, depth = 0): { value: RtValue | undefined } | "stopped" {
    if (fn.isDeclaration) throw new EvalUnsupported(`call @${fn.name}: no body`);
    const f = this.newFrame(fn, args, depth);
    let prev: BasicBlock | null = null;
    let b: BasicBlock = fn.blocks[0]!;
    const savedStack = this.stackTop;
    try {
      for (;;) {
        if (onBlock && onBlock(b, prev, f) === "stop") return "stopped";
        const r = this.runBlock(f, b, prev);
        if ("ret" in r) return { value: r.ret };
        prev = b;
        b = r.next;
      }
    } finally {
      if (depth > 0) this.stackTop = savedStack;
    }
  }

  /** Runs one block (its phis first, in parallel); returns the next block or the return value. */
  runBlock(f: EvalFrame, b: BasicBlock, pred: BasicBlock | null): { next: BasicBlock } | { ret: RtValue | undefined } {
    const insts = b.instructions;
    let k = 0;
    if (insts[0]?.opcode === "phi") {
      const vals: [Instruction, RtValue][] = [];
      for (; k < insts.length && insts[k]!.opcode === "phi"; k++) {
        const p = insts[k]!;
        const j = pred === null ? -1 : p.blocks.indexOf(pred);
        if (j < 0) throw new EvalUnsupported(`phi without an incoming value for the block entered from: ${what(p)}`);
        vals.push([p, this.value(f, p.operands[j]!)]);
      }
      for (const [p, v] of vals) f.env.set(p, v);
    }
    for (; k < insts.length; k++) {
      const i = insts[k]!;
      if (++this.steps > this.fuel) throw new EvalFuel(`out of fuel after ${this.fuel} instructions`);
      switch (i.opcode) {
        case "br":
          if (i.operands.length === 0) return { next: i.blocks[0]! };
          return { next: (this.value(f, i.operands[0]!) as bigint) ? i.blocks[0]! : i.blocks[1]! };
        case "switch": {
          const c = this.value(f, i.operands[0]!) as bigint;
          for (let j = 1; j < i.operands.length; j++) if (this.value(f, i.operands[j]!) === c) return { next: i.blocks[j]! };
          return { next: i.blocks[0]! };
        }
        case "ret": return { ret: i.operands.length ? this.value(f, i.operands[0]!) : undefined };
        case "unreachable": throw new EvalUndefined(`reached unreachable in @${f.fn.name}`);
        default: {
          const v = this.exec(f, i);
          if (v !== undefined) f.env.set(i, v);
        }
      }
    }
    throw new EvalUnsupported(`block without terminator in @${f.fn.name}`);
  }

  /** The value of an operand in frame f. */
  value(f: EvalFrame, v: Value): RtValue {
    if (v instanceof Instruction || v instanceof Argument) {
      const x = f.env.get(v);
      if (x === undefined) throw new EvalUnsupported(`value used before it was computed: ${v instanceof Instruction ? what(v) : `argument ${v.index}`}`);
      return x;
    }
    if (v instanceof Constant) return this.constant(v);
    throw new EvalUnsupported(`operand of kind ${v.vkind}: ${printValueRef(v)}`);
  }

  constant(c: Constant): RtValue {
    if (c instanceof ConstantInt) return c.value;
    if (c instanceof ConstantFP) {
      checkFloat(c.type as FloatType);
      const x = c.value;
      if (x === undefined) throw new EvalUnsupported(`floating-point constant ${c.text}`);
      return fround(c.type, x);
    }
    if (c instanceof ConstantNull) return 0n;
    if (c instanceof ConstantUndef || c instanceof ConstantPoison || c instanceof ConstantZero) return zeroOf(c.type);
    if (c instanceof GlobalValue) return this.addressOf(c);
    if (c instanceof ConstantAggregate) return c.elems.map((e) => this.constant(e));
    if (c instanceof ConstantSplat) { const t = c.type as VectorType; return Array.from({ length: t.length }, () => this.constant(c.value)); }
    if (c instanceof ConstantString) return Array.from(c.data, (ch) => BigInt(ch.charCodeAt(0)));
    if (c instanceof ConstantExpr) {
      const ops = c.operands.map((o) => this.constant(o));
      return this.compute(c.opcode, c.type, c.operands, ops, c.flags, c.predicate, c.elemType, () => `constant expression ${printValueRef(c)}`);
    }
    throw new EvalUnsupported(`constant ${printValueRef(c)}`);
  }

  /** Executes a non-terminator instruction, returns its value (undefined: none). */
  exec(f: EvalFrame, i: Instruction): RtValue | undefined {
    switch (i.opcode) {
      case "load": {
        if (i.hasFlag("atomic") || i.ordering) { /* single-threaded: an atomic load is a load */ }
        const a = this.value(f, i.operands[0]!) as bigint;
        const size = layoutOf(i.type).size;
        const r = this.mem.read(a, size);
        f.loads.set(i, { addr: a, size, epoch: this.mem.epoch, initial: r.initial });
        return decode(i.type, r.bytes);
      }
      case "store": {
        const v = this.value(f, i.operands[0]!);
        const a = this.value(f, i.operands[1]!) as bigint;
        this.mem.write(a, encode(i.operands[0]!.type, v));
        return undefined;
      }
      case "alloca": {
        const t = i.elemType!;
        const n = i.operands.length ? Number(this.value(f, i.operands[0]!) as bigint) : 1;
        const l = layoutOf(t);
        const size = alignTo(l.size, l.align) * n;
        if (this.o.allocaAddress) return this.o.allocaAddress(i, size);
        const align = BigInt(Math.max(16, i.align ?? l.align));
        const a = ((this.stackTop + align - 1n) / align) * align;
        this.stackTop = a + BigInt(Math.max(size, 1));
        return a;
      }
      case "call": return this.call(f, i);
      case "fence": return undefined;
      case "cmpxchg": {
        const a = this.value(f, i.operands[0]!) as bigint;
        const t = i.operands[1]!.type;
        const cmp = this.value(f, i.operands[1]!), nv = this.value(f, i.operands[2]!);
        const old = decode(t, this.mem.read(a, layoutOf(t).size).bytes);
        const ok = old === cmp;
        if (ok) this.mem.write(a, encode(t, nv));
        return [old, ok ? 1n : 0n];
      }
      case "atomicrmw": {
        const a = this.value(f, i.operands[0]!) as bigint;
        const t = i.operands[1]!.type;
        const v = this.value(f, i.operands[1]!);
        const old = decode(t, this.mem.read(a, layoutOf(t).size).bytes);
        const ops: Record<string, string> = { add: "add", sub: "sub", and: "and", or: "or", xor: "xor" };
        let nv: RtValue;
        if (i.rmwOp === "xchg") nv = v;
        else if (ops[i.rmwOp!]) nv = this.compute(ops[i.rmwOp!]!, t, [i.operands[1]!, i.operands[1]!], [old, v], [], undefined, undefined, () => what(i));
        else throw new EvalUnsupported(`atomicrmw ${i.rmwOp}: ${what(i)}`);
        this.mem.write(a, encode(t, nv));
        return old;
      }
      case "extractvalue": {
        let v = this.value(f, i.operands[0]!);
        for (const k of i.indices!) v = (v as RtValue[])[k]!;
        return v;
      }
      case "insertvalue": {
        const agg = structuredClone(this.value(f, i.operands[0]!) as RtValue[]);
        let at: RtValue[] = agg;
        const idx = i.indices!;
        for (let k = 0; k < idx.length - 1; k++) at = at[idx[k]!] as RtValue[];
        at[idx[idx.length - 1]!] = this.value(f, i.operands[1]!);
        return agg;
      }
      case "extractelement": {
        const v = this.value(f, i.operands[0]!) as RtValue[];
        const k = Number(this.value(f, i.operands[1]!) as bigint);
        return k < v.length ? v[k]! : zeroOf(i.type);
      }
      case "insertelement": {
        const v = [...(this.value(f, i.operands[0]!) as RtValue[])];
        const k = Number(this.value(f, i.operands[2]!) as bigint);
        if (k < v.length) v[k] = this.value(f, i.operands[1]!);
        return v;
      }
      case "shufflevector": {
        const a = this.value(f, i.operands[0]!) as RtValue[], b = this.value(f, i.operands[1]!) as RtValue[];
        const m = i.operands[2]!;
        const t = i.type as VectorType;
        const idx: (number | null)[] = m instanceof ConstantAggregate
          ? m.elems.map((e) => (e instanceof ConstantInt ? Number(e.value) : null))
          : Array.from({ length: t.length }, () => (m instanceof ConstantZero ? 0 : null));
        return idx.map((k) => (k === null ? zeroOf(t.elem) : k < a.length ? a[k]! : b[k - a.length]!));
      }
      case "select": {
        const c = this.value(f, i.operands[0]!);
        const x = this.value(f, i.operands[1]!), y = this.value(f, i.operands[2]!);
        if (Array.isArray(c)) return c.map((ck, k) => (ck ? (x as RtValue[])[k]! : (y as RtValue[])[k]!));
        return c ? x : y;
      }
      case "freeze": return this.value(f, i.operands[0]!);
      case "phi": throw new EvalUnsupported(`phi after a non-phi: ${what(i)}`);
      case "va_arg": case "landingpad": case "invoke": case "callbr": case "indirectbr": case "resume":
        throw new EvalUnsupported(`instruction ${what(i)}`);
      default: {
        const ops = i.operands.map((o) => this.value(f, o));
        return this.compute(i.opcode, i.type, i.operands, ops, i.flags, i.predicate, i.elemType, () => `instruction ${what(i)}`);
      }
    }
  }

  /** Arithmetic, compares, casts and getelementptr, shared by instructions and constant expressions. */
  compute(op: string, t: Type, operands: Value[], x: RtValue[], flags: string[], pred: string | undefined, elem: Type | undefined, desc: () => string): RtValue {
    const srcT = operands[0]?.type;
    if (op === "getelementptr") return this.gep(elem!, x[0]!, operands.slice(1), x.slice(1), flags, desc);
    // vectors: element by element
    if (t instanceof VectorType || srcT instanceof VectorType) {
      const n = ((t instanceof VectorType ? t : srcT) as VectorType).length;
      const et = t instanceof VectorType ? t.elem : t;
      const eops = operands.map((o) => ({ type: o.type instanceof VectorType ? o.type.elem : o.type }) as Value);
      if (op === "bitcast") return decode(t, encode(srcT!, x[0]!));
      return Array.from({ length: n }, (_, k) =>
        this.compute(op, et, eops, x.map((v) => (Array.isArray(v) ? v[k]! : v)), flags, pred, elem, desc));
    }
    switch (op) {
      case "add": case "sub": case "mul": case "udiv": case "sdiv": case "urem": case "srem":
      case "shl": case "lshr": case "ashr": case "and": case "or": case "xor":
        return this.intBinary(op, intBits(t), x[0] as bigint, x[1] as bigint, flags, desc);
      case "fadd": case "fsub": case "fmul": case "fdiv": case "frem": {
        checkFloat(t as FloatType);
        const a = x[0] as number, b = x[1] as number;
        const r = op === "fadd" ? a + b : op === "fsub" ? a - b : op === "fmul" ? a * b : op === "fdiv" ? a / b : a % b;
        return fround(t, r);
      }
      case "fneg": return -(x[0] as number);
      case "icmp": return icmp(pred!, intBits(srcT!), x[0] as bigint, x[1] as bigint) ? 1n : 0n;
      case "fcmp": return fcmp(pred!, x[0] as number, x[1] as number) ? 1n : 0n;
      case "trunc": {
        const v = x[0] as bigint, r = mask(intBits(t), v);
        if ((flags.includes("nuw") && r !== v) || (flags.includes("nsw") && sgn(intBits(t), v) !== sgn(intBits(srcT!), v))) this.poison++;
        return r;
      }
      case "zext": {
        if (flags.includes("nneg") && sgn(intBits(srcT!), x[0] as bigint) < 0n) this.poison++;
        return x[0] as bigint;
      }
      case "sext": return mask(intBits(t), sgn(intBits(srcT!), x[0] as bigint));
      case "ptrtoint": case "inttoptr": return mask(intBits(t), x[0] as bigint);
      case "addrspacecast": return x[0]!;
      case "bitcast":
        if ((t instanceof IntType || t instanceof PtrType) && (srcT instanceof IntType || srcT instanceof PtrType)) return x[0]!;
        if (isF(t) && isF(srcT!) && t.fkind === srcT.fkind) return x[0]!;
        return decode(t, encode(srcT!, x[0]!));
      case "fptrunc": case "fpext": checkFloat(t as FloatType); return fround(t, x[0] as number);
      case "fptoui": case "fptosi": {
        const v = Math.trunc(x[0] as number), bits = intBits(t);
        if (!Number.isFinite(v)) { this.poison++; return 0n; }
        const b = BigInt(v);
        const lo = op === "fptoui" ? 0n : -(1n << BigInt(bits - 1)), hi = op === "fptoui" ? (1n << BigInt(bits)) - 1n : (1n << BigInt(bits - 1)) - 1n;
        if (b < lo || b > hi) this.poison++;
        return mask(bits, b);
      }
      case "uitofp": case "sitofp": {
        checkFloat(t as FloatType);
        const b = x[0] as bigint;
        const v = op === "sitofp" ? sgn(intBits(srcT!), b) : b;
        return fround(t, Number(v));
      }
      case "select": return x[0] ? x[1]! : x[2]!;
      case "extractelement": return (x[0] as RtValue[])[Number(x[1] as bigint)] ?? zeroOf(t);
      default: throw new EvalUnsupported(desc());
    }
  }

  private intBinary(op: string, w: number, a: bigint, b: bigint, flags: string[], desc: () => string): bigint {
    const W = BigInt(w);
    const nsw = flags.includes("nsw"), nuw = flags.includes("nuw");
    const wrapCheck = (exact: bigint, signedExact: bigint) => {
      const r = mask(w, exact);
      if (nuw && r !== exact) this.poison++;
      if (nsw && sgn(w, r) !== signedExact) this.poison++;
      return r;
    };
    const sa = sgn(w, a), sb = sgn(w, b);
    switch (op) {
      case "add": return wrapCheck(a + b, sa + sb);
      case "sub": return wrapCheck(a - b, sa - sb);
      case "mul": return wrapCheck(a * b, sa * sb);
      case "and": return a & b;
      case "or": if (flags.includes("disjoint") && (a & b) !== 0n) this.poison++; return a | b;
      case "xor": return a ^ b;
      case "shl":
        if (b >= W) { this.poison++; return 0n; }
        return wrapCheck(a << b, sa << b);
      case "lshr": case "ashr": {
        if (b >= W) { this.poison++; return 0n; }
        const r = op === "lshr" ? a >> b : mask(w, sa >> b);
        if (flags.includes("exact") && ((op === "lshr" ? r << b : sgn(w, r) << b) !== (op === "lshr" ? a : sa))) this.poison++;
        return r;
      }
      case "udiv": case "urem":
        if (b === 0n) throw new EvalUndefined(`division by zero: ${desc()}`);
        if (op === "udiv" && flags.includes("exact") && a % b !== 0n) this.poison++;
        return op === "udiv" ? a / b : a % b;
      case "sdiv": case "srem":
        if (b === 0n) throw new EvalUndefined(`division by zero: ${desc()}`);
        if (sb === -1n && sa === -(1n << (W - 1n))) throw new EvalUndefined(`signed division overflow: ${desc()}`);
        if (op === "sdiv" && flags.includes("exact") && sa % sb !== 0n) this.poison++;
        return mask(w, op === "sdiv" ? sa / sb : sa % sb);
    }
    throw new EvalUnsupported(desc());
  }

  private gep(elem: Type, base: RtValue, idxOps: Value[], idx: RtValue[], _flags: string[], desc: () => string): RtValue {
    if (Array.isArray(base) || idx.some(Array.isArray)) throw new EvalUnsupported(`vector getelementptr: ${desc()}`);
    let off = 0n;
    let t: Type = elem;
    const alloc = (t: Type) => { const l = layoutOf(t); return BigInt(alignTo(l.size, l.align)); };
    for (let k = 0; k < idx.length; k++) {
      const i = sgn(intBits(idxOps[k]!.type), idx[k] as bigint);
      if (k === 0) off += i * alloc(t);
      else if (t instanceof StructType && t.elems) {
        off += BigInt(structLayout(t.elems, t.packed).offsets[Number(i)]!);
        t = t.elems[Number(i)]!;
      } else if (t instanceof ArrayType || t instanceof VectorType) {
        off += i * alloc(t.elem);
        t = t.elem;
      } else throw new EvalUnsupported(`getelementptr into ${t}: ${desc()}`);
    }
    return mask(64, (base as bigint) + off);
  }

  private call(f: EvalFrame, i: Instruction): RtValue | undefined {
    const args = i.args.map((a) => this.value(f, a));
    const hit = this.o.intercept?.(i, args, f);
    if (hit) return hit.value;
    let callee = i.callee;
    let fn: Function | null = null;
    if (callee instanceof Function) fn = callee;
    else if (callee instanceof Constant || callee instanceof Instruction || callee instanceof Argument) {
      const a = this.value(f, callee) as bigint;
      const g = this.globalAt(a);
      if (g instanceof Function) fn = g;
      else throw new EvalUnsupported(`call through a pointer to 0x${a.toString(16)}, which is no known function: ${what(i)}`);
    } else if (callee instanceof InlineAsm && i.type.isVoid() && callee.asm.split(/\n|\\0A|;/).every((l) => /^\s*(#.*)?$/.test(l)))
      return undefined; // an asm statement without instructions (a comment, a compiler barrier) does nothing
    else throw new EvalUnsupported(`call of ${callee.vkind}: ${what(i)}`);
    const name = fn.name ?? "";
    if (name.startsWith("llvm.")) return this.intrinsic(name, i, args);
    const model = this.o.externals?.(name, fn);
    if (model) {
      // Calls that touch no memory may be removed by a pass (dce): not logged.
      if (callAccess(i, fn) !== "none") this.calls.push(`${name}(${args.map((a, k) => showValue(i.args[k]!.type, a)).join(", ")})`);
      const r = model(args, { ev: this, name, call: i, fn });
      return i.type.isVoid() ? undefined : r;
    }
    if (this.o.runDefined && !fn.isDeclaration) {
      if (f.depth > 200) throw new EvalUnsupported(`call @${name}: calls nested deeper than 200`);
      const r = this.runFunction(fn, args, undefined, f.depth + 1);
      return r === "stopped" ? undefined : r.value;
    }
    throw new EvalUnsupported(`call @${name}: no model of this function`);
  }

  private intrinsic(name: string, i: Instruction, a: RtValue[]): RtValue | undefined {
    if (PURE_INTRINSIC_NOOP.test(name)) return i.type.isVoid() ? undefined : zeroOf(i.type);
    const base = name.replace(/^llvm\./, "").split(".")[0]!;
    const full = name.replace(/^llvm\./, "");
    const t = i.type;
    const w = t instanceof IntType ? t.bits : 0;
    const big = (k: number) => a[k] as bigint;
    const num = (k: number) => a[k] as number;
    const vec = (fn: (k: number) => RtValue): RtValue => {
      if (t instanceof VectorType) throw new EvalUnsupported(`vector intrinsic @${name}`);
      return fn(0);
    };
    switch (base) {
      case "memcpy": case "memmove": {
        const n = Number(big(2));
        if (n > 1 << 24) throw new EvalUnsupported(`@${name} of ${n} bytes`);
        const src = this.mem.read(big(1), n).bytes;
        this.mem.write(big(0), src);
        return undefined;
      }
      case "memset": {
        const n = Number(big(2));
        if (n > 1 << 24) throw new EvalUnsupported(`@${name} of ${n} bytes`);
        this.mem.write(big(0), new Uint8Array(n).fill(Number(big(1) & 255n)));
        return undefined;
      }
      case "expect": return a[0];
      case "umax": case "umin": return vec(() => (base === "umax" ? (big(0) > big(1) ? big(0) : big(1)) : big(0) < big(1) ? big(0) : big(1)));
      case "smax": case "smin": return vec(() => {
        const x = sgn(w, big(0)), y = sgn(w, big(1));
        return base === "smax" ? (x > y ? big(0) : big(1)) : x < y ? big(0) : big(1);
      });
      case "abs": return vec(() => { const x = sgn(w, big(0)); return mask(w, x < 0n ? -x : x); });
      case "ctpop": return vec(() => { let x = big(0), n = 0n; while (x) { n += x & 1n; x >>= 1n; } return n; });
      case "ctlz": return vec(() => { const x = big(0); if (x === 0n) return BigInt(w); let n = 0n; for (let b = BigInt(w - 1); b >= 0n && !((x >> b) & 1n); b--) n++; return n; });
      case "cttz": return vec(() => { const x = big(0); if (x === 0n) return BigInt(w); let n = 0n; while (!((x >> n) & 1n)) n++; return n; });
      case "bswap": return vec(() => bigintOfBytes(bytesOfBigint(big(0), w / 8).reverse()));
      case "fshl": case "fshr": return vec(() => {
        const W = BigInt(w), s = big(2) % W;
        const cat = (big(0) << W) | big(1);
        return base === "fshl" ? mask(w, (cat << s) >> W) : mask(w, cat >> s);
      });
      case "uadd": case "usub": case "umul": case "sadd": case "ssub": case "smul": {
        if (full.includes("with.overflow")) {
          const bw = intBits((t as StructType).elems![0]!);
          const op = base.slice(1);
          const signed = base[0] === "s";
          const x = signed ? sgn(bw, big(0)) : big(0), y = signed ? sgn(bw, big(1)) : big(1);
          const exact = op === "add" ? x + y : op === "sub" ? x - y : x * y;
          const r = mask(bw, exact);
          return [r, (signed ? sgn(bw, r) : r) !== exact ? 1n : 0n];
        }
        if (full.startsWith("uadd.sat.")) return vec(() => (big(0) + big(1) > mask(w, -1n) ? mask(w, -1n) : big(0) + big(1)));
        if (full.startsWith("usub.sat.")) return vec(() => (big(0) > big(1) ? big(0) - big(1) : 0n));
        throw new EvalUnsupported(`intrinsic @${name}: ${what(i)}`);
      }
      case "fabs": return vec(() => Math.abs(num(0)));
      case "sqrt": return vec(() => fround(t, Math.sqrt(num(0))));
      case "floor": return vec(() => Math.floor(num(0)));
      case "ceil": return vec(() => Math.ceil(num(0)));
      case "trunc": return vec(() => Math.trunc(num(0)));
      case "round": return vec(() => { const x = num(0); return Math.sign(x) * Math.round(Math.abs(x)); });
      case "rint": case "nearbyint": case "roundeven": return vec(() => { const x = num(0), r = Math.round(x); return Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : r; });
      case "copysign": return vec(() => { const m = Math.abs(num(0)); return Object.is(Math.sign(num(1)), -0) || num(1) < 0 ? -m : m; });
      case "minnum": return vec(() => (Number.isNaN(num(0)) ? num(1) : Number.isNaN(num(1)) ? num(0) : Math.min(num(0), num(1))));
      case "maxnum": return vec(() => (Number.isNaN(num(0)) ? num(1) : Number.isNaN(num(1)) ? num(0) : Math.max(num(0), num(1))));
      case "fmuladd": case "fma": return vec(() => fround(t, num(0) * num(1) + num(2)));
      case "pow": return vec(() => fround(t, Math.pow(num(0), num(1))));
      case "exp": return vec(() => fround(t, Math.exp(num(0))));
      case "log": return vec(() => fround(t, Math.log(num(0))));
      case "sin": return vec(() => fround(t, Math.sin(num(0))));
      case "cos": return vec(() => fround(t, Math.cos(num(0))));
      default:
        throw new EvalUnsupported(`intrinsic @${name}: ${what(i)}`);
    }
  }
}

function icmp(p: string, w: number, a: bigint, b: bigint): boolean {
  const r = icmpBits(p, a, b, w);
  if (r === null) throw new EvalUnsupported(`icmp predicate ${p}`);
  return r;
}

function fcmp(p: string, a: number, b: number): boolean {
  const uno = Number.isNaN(a) || Number.isNaN(b);
  switch (p) {
    case "false": return false;
    case "true": return true;
    case "ord": return !uno;
    case "uno": return uno;
    case "oeq": return !uno && a === b;
    case "ogt": return !uno && a > b;
    case "oge": return !uno && a >= b;
    case "olt": return !uno && a < b;
    case "ole": return !uno && a <= b;
    case "one": return !uno && a !== b;
    case "ueq": return uno || a === b;
    case "ugt": return uno || a > b;
    case "uge": return uno || a >= b;
    case "ult": return uno || a < b;
    case "ule": return uno || a <= b;
    case "une": return uno || a !== b;
  }
  throw new EvalUnsupported(`fcmp predicate ${p}`);
}

/**
 * What a call may do to memory by its attributes (the call site's or the
 * function's, whichever says less): "none", "read" or "write" (anything
 * else, argument memory included: it may write anything).
 */
export function callAccess(call: Instruction, fn: Function | null): "none" | "read" | "write" {
  const of = (list: ReturnType<typeof allFnAttrs>): "none" | "read" | "write" => {
    const m = memoryEffects(list);
    const all = [m.default, m.argmem ?? m.default, m.inaccessiblemem ?? m.default];
    if (all.every((a) => a === "none")) return "none";
    if (all.every((a) => a === "none" || a === "read")) return "read";
    return "write";
  };
  const a = of(allFnAttrs(call)), b = fn ? of(allFnAttrs(fn)) : "write";
  const rank = { none: 0, read: 1, write: 2 } as const;
  return rank[a] <= rank[b] ? a : b;
}

/**
 * A generic model of an opaque function, for tests: it may have written
 * any memory (a clobber, unless its attributes say `memory(none|read)`),
 * and returns a hash of its name, arguments and the memory's state.
 */
export function opaqueModel(): ExternalModel {
  return (args, { ev, name, call, fn }) => {
    const access = callAccess(call, fn);
    // A function that touches no memory gives a result of its arguments
    // alone (a pass may remove or move such calls); one that may write
    // memory starts a new epoch, which depends on the call and its place among the calls.
    const info = `${name}(${args.map((a, k) => showValue(call.args[k]!.type, a)).join(",")})`;
    if (access === "write") ev.mem.clobber(`${info}#${ev.calls.length}`);
    if (call.type.isVoid()) return undefined;
    const h = access === "none" ? hashString(info) : mix32(ev.mem.seed, hashString(info));
    const rb = new Uint8Array(Math.max(layoutOf(call.type).size, 1));
    for (let k = 0; k < rb.length; k++) rb[k] = mix32(h, k) & 255;
    return decode(call.type, rb);
  };
}

