// C backend (the fast compile tier): trace IR → one C translation unit that
// `tcc -shared -o X.so X.c` compiles in milliseconds, with the runtime
// contract of the LLVM backend (src/codegen/llvm.ts, docs/traces.md §1-§6)
// except for how a guard deoptimises.
//
// The unit defines, for the trace symbol S = t.name (all of them through asm
// labels, so S may be any symbol name):
//   int64_t S(void *live)  or, for a side trace, int64_t S(void *live, T1, ...)
//   const unsigned char S_meta[]   exactly encodeMeta(t), aligned 8, its ELF
//                                  symbol size the table's size
//   void *S_side[max(1, guards)]   zero-initialised side-trace table
//   void *S_owner                  zero-initialised; the runtime stores its
//                                  per-trace state there after dlopen
//   u64 S_iters                    a root trace that loops: its back edge
//                                  increments it (the runtime's retracing)
// and nothing else exported (every helper is static; the linker symbols
// tcc itself adds, _init, _fini, _end and the like, aside). A failing guard
// `call @ykts.guard(i1 %c, i32 N) ["deopt"(vals)]` jumps to a cold exit at
// the end of S that calls S_side[N] when it is set, with the live struct
// and vals as typed (i1 as a 0/1 byte); a root trace whose side trace
// returns SIDE_RESTART starts again at `reload` (which reloads the live
// values), anything else is returned. Without a side trace the exit calls
//   uint64_t __ykts_deopt_v(void *owner, uint32_t guard, const uint64_t *values, uint32_t count)
// with S_owner, N and the deopt values widened to 64 bits (integers
// zero-extended, i1 as 0/1, pointers as addresses, double as its IEEE bits,
// float as its 32 bits in the low half; count 0 passes a null pointer) and
// returns what it returns. The upgrade check `call i1 @ykts.upgrade_check()`
// (docs/traces.md §7) is true but every UPGRADE_POLL_PERIOD-th time it runs
// in one call of S, when it is `__ykts_trace_poll(S_owner) == 0` (the
// runtime says whether the trace has been upgraded meanwhile).
// A root trace is entry (its allocas) → reload
// (the rest of entry; a failed `t.entryChecks` returns t.site) → loop (phis
// assigned by a parallel copy at the back edge), as llvm.ts builds it.
//
// Representation: iN (N = 1, 8, 16, 32, 64) as uintN_t, i1 always 0 or 1
// (loads, call results and side-trace parameters of i1 are masked); ptr as
// a 64-bit unsigned integer (addrspace 0 only); double and float as
// themselves, constants through their exact bits. Every value is a local
// of S declared at its top, except a pure one (arithmetic, compare, cast,
// getelementptr) used once in its own block, whose expression is written
// at its use (chooseInlined). Arithmetic is done in unsigned C types and
// truncated to the result's width, signed operations through signed casts,
// shift amounts masked to the C operand width (an LLVM shift by the width
// or more is poison, any result is correct), so the generated C has no
// undefined behaviour that LLVM IR does not have too, except what tcc
// defines: memory accessed through casts of integer addresses (tcc does
// not reason about aliasing) and out-of-range float-to-integer conversions
// (poison in LLVM; cvttsd2si gives some value). Referenced functions
// and globals are `extern char X[] __asm__("ykir name")` (the address
// comes from the GOT, canonical as in LLVM code) and calls go through a
// pointer of the call's function type. No system header is included.
//
// What this backend declines, by throwing CodegenError naming the
// instruction (the caller then uses the LLVM tier): any opcode, type,
// intrinsic, attribute or constant it does not translate exactly: integer
// widths other than 1/8/16/32/64, half/x86_fp80/fp128, vectors,
// aggregate values (extractvalue, insertvalue, *.with.overflow, loads and
// stores of aggregates), atomics and fences, non-C calling conventions,
// byval/inalloca/preallocated/nest/swift* arguments, inline asm,
// thread-local globals, block addresses, a trace not shaped as
// src/trace-ir/trace.ts says. It never mutates the trace.
import {
  ArrayType, Argument, BlockAddress, ConstantAggregate, ConstantExpr, ConstantFP, ConstantInt, ConstantNull, ConstantPoison,
  ConstantString, ConstantUndef, ConstantZero, FloatType, Function, FunctionType, GlobalIFunc, GlobalValue, GlobalVariable,
  InlineAsm, Instruction, IntType, StructType, findAttr, printInstruction,
} from "../ykir/index.js";
import type { AttrList, Type, Value } from "../ykir/index.js";
import { layoutOf, structLayout } from "../trace-ir/layout.js";
import { SIDE_RESTART, guardId, guardStores, guardValues, isGuard, isUpgradeCheck, loops } from "../trace-ir/trace.js";
import type { Trace } from "../trace-ir/trace.js";
import { CodegenError, encodeMeta } from "./llvm.js";

/** The runtime's deopt entry for C-tier traces. */
export const C_DEOPT_FN = "__ykts_deopt_v";
/** Asked every UPGRADE_POLL_PERIOD iterations by an upgrade check: nonzero once the trace has been upgraded. */
export const C_POLL_FN = "__ykts_trace_poll";
export const UPGRADE_POLL_PERIOD = 1 << 14;

/** Thrown inside; turned into a CodegenError naming the instruction. */
class Unsupported extends Error {}

const PREAMBLE = `typedef unsigned char u8; typedef unsigned short u16; typedef unsigned int u32; typedef unsigned long u64;
typedef signed char s8; typedef short s16; typedef int s32; typedef long s64;
extern u64 __ykc_deopt(void *, u32, const u64 *, u32) __asm__("${C_DEOPT_FN}");
extern s32 __ykc_poll(void *) __asm__("${C_POLL_FN}");
`;

/** Static helpers, emitted when used. */
const HELPERS: Record<string, string> = {
  bd: "static u64 __ykc_bd(double x) { union { double d; u64 u; } c; c.d = x; return c.u; }",
  db: "static double __ykc_db(u64 x) { union { double d; u64 u; } c; c.u = x; return c.d; }",
  bf: "static u32 __ykc_bf(float x) { union { float f; u32 u; } c; c.f = x; return c.u; }",
  fb: "static float __ykc_fb(u32 x) { union { float f; u32 u; } c; c.u = x; return c.f; }",
  clz: "static u32 __ykc_clz(u64 x) { u32 n = 0; if (!x) return 64; if (!(x >> 32)) { n += 32; x <<= 32; } if (!(x >> 48)) { n += 16; x <<= 16; } if (!(x >> 56)) { n += 8; x <<= 8; } if (!(x >> 60)) { n += 4; x <<= 4; } if (!(x >> 62)) { n += 2; x <<= 2; } if (!(x >> 63)) n += 1; return n; }",
  ctz: "static u32 __ykc_ctz(u64 x) { u32 n = 0; if (!x) return 64; while (!(x & 1)) { x >>= 1; n++; } return n; }",
  pop: "static u32 __ykc_pop(u64 x) { u32 n = 0; while (x) { x &= x - 1; n++; } return n; }",
  bswap: "static u64 __ykc_bswap(u64 x) { u64 r = 0; int k; for (k = 0; k < 8; k++) { r = (r << 8) | (x & 255); x >>= 8; } return r; }",
  u2d: "static double __ykc_u2d(u64 x) { if ((s64)x >= 0) return (double)(s64)x; return (double)(s64)((x >> 1) | (x & 1)) * 2.0; }",
  u2f: "static float __ykc_u2f(u64 x) { if ((s64)x >= 0) return (float)(s64)x; return (float)(s64)((x >> 1) | (x & 1)) * 2.0f; }",
  d2u: "static u64 __ykc_d2u(double x) { if (x >= 9223372036854775808.0) return (u64)(s64)(x - 9223372036854775808.0) ^ 0x8000000000000000ull; return (u64)(s64)x; }",
  f2u: "static u64 __ykc_f2u(float x) { if (x >= 9223372036854775808.0f) return (u64)(s64)(x - 9223372036854775808.0f) ^ 0x8000000000000000ull; return (u64)(s64)x; }",
};

/** libm functions for floating-point intrinsics: llvm.<name>.f64 → name, .f32 → name + "f". */
const LIBM_UNARY: Record<string, string> = {
  floor: "floor", ceil: "ceil", trunc: "trunc", round: "round", rint: "rint", nearbyint: "nearbyint", sqrt: "sqrt",
  exp: "exp", exp2: "exp2", log: "log", log2: "log2", log10: "log10", sin: "sin", cos: "cos",
};
const LIBM_BINARY: Record<string, string> = { pow: "pow", minnum: "fmin", maxnum: "fmax", copysign: "copysign" };

/** Intrinsics that do nothing the trace needs (void results only). */
const NOOP_INTRINSICS = ["llvm.lifetime.start", "llvm.lifetime.end", "llvm.assume", "llvm.dbg.", "llvm.experimental.noalias.scope.decl",
  "llvm.sideeffect", "llvm.donothing", "llvm.prefetch", "llvm.var.annotation", "llvm.codeview.annotation"];

function intBits(t: Type): number | null {
  if (!(t instanceof IntType)) return null;
  return t.bits === 1 || t.bits === 8 || t.bits === 16 || t.bits === 32 || t.bits === 64 ? t.bits : null;
}

/** The C type of a first-class value type this backend handles. */
function ctype(t: Type): string {
  const b = intBits(t);
  if (b !== null) return b === 1 ? "u8" : `u${b}`;
  if (t.kind === "ptr") {
    if ((t as unknown as { addrspace: number }).addrspace !== 0) throw new Unsupported(`pointers in address space ${(t as unknown as { addrspace: number }).addrspace}`);
    return "u64";
  }
  if (t instanceof FloatType && (t.fkind === "double" || t.fkind === "float")) return t.fkind;
  throw new Unsupported(`values of type ${t}`);
}

/** Unsigned C type wide enough to compute an N-bit operation without signed promotion. */
const wideU = (bits: number) => (bits <= 32 ? "u32" : "u64");
const wideS = (bits: number) => (bits <= 32 ? "s32" : "s64");
/** An N-bit value truncated to N bits, as its C type. */
function wrap(bits: number, e: string): string {
  if (bits === 1) return `((u8)((${e}) & 1))`;
  return `((u${bits})(${e}))`;
}
/** The N-bit value e read as signed (i1: 0 or -1). */
function sgn(bits: number, e: string): string {
  if (bits === 1) return `((s32)0 - (s32)(${e}))`;
  return `((s${bits})(${e}))`;
}
function intLit(bits: number, v: bigint): string {
  const u = BigInt.asUintN(bits, v);
  if (bits === 64) return `0x${u.toString(16)}ull`;
  if (bits === 32) return `0x${u.toString(16)}u`;
  if (bits === 1) return u ? "((u8)1)" : "((u8)0)";
  return `((u${bits})${u})`;
}
function cString(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) throw new Unsupported(`a name with the character U+${c.toString(16)}`);
    out += c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c && c !== 0x3f ? s[i] : "\\" + c.toString(8).padStart(3, "0");
  }
  return out;
}
/** How each byte is written in a C string literal (octal escapes never run into the next character). */
const BYTE_TEXT = Array.from({ length: 256 }, (_, c) =>
  c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c && c !== 0x3f ? String.fromCharCode(c) : "\\" + c.toString(8).padStart(3, "0"));
/** Bytes as C string literals, 1024 bytes a line. */
function bytesLiteral(b: Uint8Array): string {
  const lines: string[] = [];
  for (let i = 0; i < b.length || i === 0; i += 1024) {
    const part: string[] = [];
    for (let j = i; j < Math.min(b.length, i + 1024); j++) part.push(BYTE_TEXT[b[j]!]!);
    lines.push(`"${part.join("")}"`);
  }
  return lines.join("\n");
}

/** Exact bits of a double or float constant. */
function fpBits(c: ConstantFP): bigint {
  const t = c.type as FloatType;
  const dv = new DataView(new ArrayBuffer(8));
  let dbits: bigint;
  if (/^0x[0-9A-Fa-f]{1,16}$/.test(c.text)) dbits = BigInt(c.text);
  else if (/^0x/.test(c.text)) throw new Unsupported(`the floating-point literal ${c.text}`);
  else {
    const x = Number(c.text);
    if (Number.isNaN(x) && !/nan/i.test(c.text)) throw new Unsupported(`the floating-point literal ${c.text}`);
    dv.setFloat64(0, x);
    dbits = dv.getBigUint64(0);
  }
  if (t.fkind === "double") return dbits;
  // float: LLVM writes the double with the same value (NaNs: the payload's top bits).
  const sign = (dbits >> 63n) & 1n, exp = (dbits >> 52n) & 0x7ffn, man = dbits & ((1n << 52n) - 1n);
  if (exp === 0x7ffn) return (sign << 31n) | (0xffn << 23n) | (man >> 29n);
  dv.setBigUint64(0, dbits);
  dv.setFloat32(0, dv.getFloat64(0));
  return BigInt(dv.getUint32(0));
}

const FCMP: Record<string, (a: string, b: string) => string> = {
  false: () => "0", true: () => "1",
  oeq: (a, b) => `${a} == ${b}`, ogt: (a, b) => `${a} > ${b}`, oge: (a, b) => `${a} >= ${b}`,
  olt: (a, b) => `${a} < ${b}`, ole: (a, b) => `${a} <= ${b}`, one: (a, b) => `${a} < ${b} || ${a} > ${b}`,
  ord: (a, b) => `${a} == ${a} && ${b} == ${b}`, uno: (a, b) => `${a} != ${a} || ${b} != ${b}`,
  ueq: (a, b) => `!(${a} < ${b} || ${a} > ${b})`, ugt: (a, b) => `!(${a} <= ${b})`, uge: (a, b) => `!(${a} < ${b})`,
  ult: (a, b) => `!(${a} >= ${b})`, ule: (a, b) => `!(${a} > ${b})`, une: (a, b) => `${a} != ${b}`,
};

/** What an operation needs besides its operands (an instruction or a constant expression). */
interface OpLike { opcode: string; type: Type; operands: Value[]; predicate?: string; elemType?: Type }

/** Opcodes whose value depends on nothing but their operands and cannot trap: safe to compute at their use instead. */
const PURE = new Set(["getelementptr", "add", "sub", "mul", "and", "or", "xor", "shl", "lshr", "ashr", "icmp", "fcmp", "select",
  "trunc", "zext", "sext", "ptrtoint", "inttoptr", "bitcast", "fpext", "fptrunc", "fptosi", "fptoui", "sitofp", "uitofp",
  "freeze", "fneg", "fadd", "fsub", "fmul", "fdiv"]);
/** Nesting depth past which a substituted expression is assigned to its local after all. */
const MAX_INLINE_DEPTH = 6;

/**
 * The pure instructions whose single use is an instruction of the same
 * block (an operand, or a guard's condition): tcc keeps such a value in a
 * register inside the one expression instead of storing it to its stack
 * slot and loading it back. Values a phi, an entry check or a guard's
 * bundle uses stay locals (the back edge's parallel copy and the cold
 * exits read them), and so do values used in another block (they would be
 * recomputed every iteration). Moving a pure computation later, to its
 * use, changes nothing: its operands are SSA values, and the phis they may
 * be change only at the back edge, after every use in the iteration. A
 * load of the loop block is written into its use too when no instruction
 * from the load to the statement that evaluates it may write memory (a
 * store, a call, the upgrade check's poll; a guard only leaves).
 */
function chooseInlined(t: Trace): Set<Instruction> {
  const uses = new Map<Value, number>();
  const pinned = new Set<Value>();
  const where = new Map<Value, unknown>();
  const use = (v: Value, block: unknown) => {
    uses.set(v, (uses.get(v) ?? 0) + 1);
    if (where.get(v) !== block) pinned.add(v);
  };
  for (const b of t.fn.blocks)
    for (const i of b.instructions) {
      where.set(i, b);
      if (i.opcode === "phi") { for (const o of i.operands) pinned.add(o); continue; }
      if (isGuard(i)) {
        use(i.operands[0]!, b);
        for (const v of guardValues(i)) pinned.add(v);
        for (const v of guardStores(i)) pinned.add(v);
        continue;
      }
      for (const o of i.operands) use(o, b);
      for (const bd of i.bundles ?? []) for (const v of bd.values) pinned.add(v);
    }
  for (const c of t.entryChecks ?? []) pinned.add(c);
  const out = new Set<Instruction>();
  t.fn.blocks.forEach((b, bi) => {
    const insts = b.instructions;
    const index = new Map<Value, number>(insts.map((i, k) => [i, k]));
    // The single user of each value of this block (the instruction it is written into).
    const user = new Map<Value, Instruction>();
    for (const i of insts) {
      if (i.opcode === "phi") continue;
      for (const o of isGuard(i) ? [i.operands[0]!] : i.operands) if (index.has(o)) user.set(o, i);
    }
    // writers[k]: how many of insts[0..k) may write memory (a guard only leaves; its exit reads locals).
    const writers = [0];
    for (const i of insts) writers.push(writers[writers.length - 1]! + (!isGuard(i) && i.info.mayWrite ? 1 : 0));
    // Where each value is evaluated: its own statement, or its user's for one written into its user.
    const at = new Map<Instruction, number>();
    for (let k = insts.length - 1; k >= 0; k--) {
      const i = insts[k]!;
      at.set(i, k);
      if (uses.get(i) !== 1 || pinned.has(i)) continue;
      const u = user.get(i);
      if (!u) continue;
      const end = at.get(u)!;
      if (PURE.has(i.opcode)) { out.add(i); at.set(i, end); continue; }
      // A load of the loop (entry's loads of the live struct are fromLive's): moved to where
      // its user is evaluated when nothing between may write memory (moving a load later never
      // makes it fault where it did not).
      if (i.opcode === "load" && bi > 0 && !i.ordering && !i.flags.includes("volatile") && !i.flags.includes("atomic") &&
          writers[end]! - writers[k + 1]! === 0) {
        out.add(i);
        at.set(i, end);
      }
    }
  });
  return out;
}

class CEmitter {
  private names = new Map<Value, string>();
  /** Extern symbols by ykir name → C identifier. */
  private externs = new Map<string, string>();
  private fpConsts = new Map<string, string>();
  private fpConstDecls: string[] = [];
  private helpers = new Set<string>();
  private libm = new Map<string, string>(); // C identifier → declaration
  private locals = new Map<string, string[]>(); // C type → names
  private body: string[] = [];
  private exits: string[] = [];
  private maxDeopt = 0;
  /** Pure values substituted into their one use (see chooseInlined), and how deep each expression nests. */
  private inlined = new Set<Instruction>();
  private depth = new Map<Value, number>();
  private ticks = false;

  constructor(private t: Trace, private opts: EmitCOptions) {}

  private helper(h: string): string { this.helpers.add(h); return `__ykc_${h}`; }

  private local(v: Value, prefix: string, k: number): string {
    const name = `${prefix}${k}`;
    this.names.set(v, name);
    const ct = ctype(v.type);
    let l = this.locals.get(ct);
    if (!l) { l = []; this.locals.set(ct, l); }
    l.push(name);
    return name;
  }

  private extern(g: GlobalValue): string {
    if (g.name === null) throw new Unsupported("an unnamed global");
    if (g.threadLocal) throw new Unsupported(`the thread-local global @${g.name}`);
    if (g instanceof GlobalVariable && g.addrspace !== 0) throw new Unsupported(`the global @${g.name} in address space ${g.addrspace}`);
    if (g instanceof GlobalIFunc) throw new Unsupported(`the ifunc @${g.name}`);
    if (g.name.startsWith("llvm.")) throw new Unsupported(`@${g.name} as a value`);
    let id = this.externs.get(g.name);
    if (!id) { id = `__ykc_g${this.externs.size}`; this.externs.set(g.name, id); }
    return id;
  }

  private libmFn(name: string, ty: string, arity: number): string {
    const id = `__ykc_m_${name}`;
    if (!this.libm.has(id)) this.libm.set(id, `extern ${ty} ${id}(${Array(arity).fill(ty).join(", ")}) __asm__("${name}");`);
    return id;
  }

  private fpConst(c: ConstantFP): string {
    const t = c.type as FloatType;
    if (t.fkind !== "double" && t.fkind !== "float") throw new Unsupported(`${t} constants`);
    const bits = fpBits(c);
    const key = `${t.fkind}:${bits}`;
    let id = this.fpConsts.get(key);
    if (!id) {
      id = `__ykc_k${this.fpConsts.size}`;
      this.fpConsts.set(key, id);
      this.fpConstDecls.push(t.fkind === "double"
        ? `static const union { u64 u; double v; } ${id} = { 0x${bits.toString(16)}ull };`
        : `static const union { u32 u; float v; } ${id} = { 0x${bits.toString(16)}u };`);
    }
    return `${id}.v`;
  }

  /** A C expression for a value, of the value's C type. */
  val(v: Value): string {
    const n = this.names.get(v);
    if (n !== undefined) return n;
    if (v instanceof Instruction || v instanceof Argument) throw new Unsupported("a value used before its definition");
    if (v instanceof ConstantInt) {
      const b = intBits(v.type);
      if (b === null) throw new Unsupported(`constants of type ${v.type}`);
      return intLit(b, v.value);
    }
    if (v instanceof ConstantFP) return this.fpConst(v);
    if (v instanceof ConstantNull || v instanceof ConstantUndef || v instanceof ConstantPoison || v instanceof ConstantZero) {
      const ct = ctype(v.type);
      return ct === "double" ? "0.0" : ct === "float" ? "0.0f" : `((${ct})0)`;
    }
    if (v instanceof GlobalValue) return `((u64)${this.extern(v)})`;
    if (v instanceof ConstantExpr) {
      ctype(v.type);
      if (v.inrange) throw new Unsupported("getelementptr inrange");
      return this.op(v, v.operands.map((o) => this.val(o)), `constant expression ${v.opcode}`);
    }
    if (v instanceof BlockAddress) throw new Unsupported("blockaddress");
    if (v instanceof ConstantString || v instanceof ConstantAggregate) throw new Unsupported(`aggregate constants of type ${v.type}`);
    if (v instanceof InlineAsm) throw new Unsupported("inline asm");
    throw new Unsupported(`the value kind ${v.vkind}`);
  }

  /** The widened 64-bit form of a deopt value. */
  private widened(v: Value): string {
    const e = this.val(v);
    const t = v.type;
    if (t instanceof FloatType) return t.fkind === "double" ? `${this.helper("bd")}(${e})` : `(u64)${this.helper("bf")}(${e})`;
    return `(u64)${e}`;
  }

  /** A pure operation on operand expressions (instruction or constant expression). */
  op(i: OpLike, a: string[], what: string): string {
    const t = i.type;
    const o = i.operands;
    switch (i.opcode) {
      case "add": case "sub": case "mul": {
        const b = intBits(t);
        if (b === null) throw new Unsupported(`${what} on ${t}`);
        const w = wideU(b), sym = i.opcode === "add" ? "+" : i.opcode === "sub" ? "-" : "*";
        return wrap(b, `(${w})${a[0]} ${sym} (${w})${a[1]}`);
      }
      case "and": case "or": case "xor": {
        const b = intBits(t);
        if (b === null) throw new Unsupported(`${what} on ${t}`);
        const sym = i.opcode === "and" ? "&" : i.opcode === "or" ? "|" : "^";
        return `((${ctype(t)})(${a[0]} ${sym} ${a[1]}))`;
      }
      case "udiv": case "urem": {
        const b = intBits(t);
        if (b === null) throw new Unsupported(`${what} on ${t}`);
        return `((${ctype(t)})(${a[0]} ${i.opcode === "udiv" ? "/" : "%"} ${a[1]}))`;
      }
      case "sdiv": case "srem": {
        const b = intBits(t);
        if (b === null || b === 1) throw new Unsupported(`${what} on ${t}`);
        return wrap(b, `${sgn(b, a[0]!)} ${i.opcode === "sdiv" ? "/" : "%"} ${sgn(b, a[1]!)}`);
      }
      case "shl": case "lshr": case "ashr": {
        const b = intBits(t);
        if (b === null || b === 1) throw new Unsupported(`${what} on ${t}`);
        const mask = b <= 32 ? 31 : 63;
        const amt = `(${a[1]} & ${mask})`;
        if (i.opcode === "shl") return wrap(b, `(${wideU(b)})${a[0]} << ${amt}`);
        if (i.opcode === "lshr") return `((u${b})((${wideU(b)})${a[0]} >> ${amt}))`;
        return wrap(b, `(${wideS(b)})${sgn(b, a[0]!)} >> ${amt}`);
      }
      case "fadd": case "fsub": case "fmul": case "fdiv": {
        const ct = ctype(t);
        if (ct !== "double" && ct !== "float") throw new Unsupported(`${what} on ${t}`);
        const sym = { fadd: "+", fsub: "-", fmul: "*", fdiv: "/" }[i.opcode]!;
        return `((${ct})(${a[0]} ${sym} ${a[1]}))`;
      }
      case "frem": {
        const ct = ctype(t);
        if (ct !== "double" && ct !== "float") throw new Unsupported(`${what} on ${t}`);
        return `${this.libmFn(ct === "double" ? "fmod" : "fmodf", ct, 2)}(${a[0]}, ${a[1]})`;
      }
      case "fneg": {
        const ct = ctype(t);
        if (ct === "double") return `${this.helper("db")}(${this.helper("bd")}(${a[0]}) ^ 0x8000000000000000ull)`;
        if (ct === "float") return `${this.helper("fb")}(${this.helper("bf")}(${a[0]}) ^ 0x80000000u)`;
        throw new Unsupported(`${what} on ${t}`);
      }
      case "icmp": {
        const ot = o[0]!.type;
        const b = ot.kind === "ptr" ? (ctype(ot), 64) : intBits(ot);
        if (b === null) throw new Unsupported(`${what} on ${ot}`);
        const p = i.predicate!;
        const rel = { eq: "==", ne: "!=", ugt: ">", uge: ">=", ult: "<", ule: "<=", sgt: ">", sge: ">=", slt: "<", sle: "<=" }[p];
        if (!rel) throw new Unsupported(`${what} ${p}`);
        if (p[0] === "s") return `((u8)(${sgn(b, a[0]!)} ${rel} ${sgn(b, a[1]!)}))`;
        return `((u8)(${a[0]} ${rel} ${a[1]}))`;
      }
      case "fcmp": {
        const ct = ctype(o[0]!.type);
        if (ct !== "double" && ct !== "float") throw new Unsupported(`${what} on ${o[0]!.type}`);
        const f = FCMP[i.predicate!];
        if (!f) throw new Unsupported(`${what} ${i.predicate}`);
        return `((u8)(${f(a[0]!, a[1]!)}))`;
      }
      case "select": {
        if (!o[0]!.type.isInt(1)) throw new Unsupported(`${what} with a ${o[0]!.type} condition`);
        return `((${ctype(t)})(${a[0]} ? ${a[1]} : ${a[2]}))`;
      }
      case "freeze": ctype(t); return a[0]!;
      case "trunc": case "zext": case "sext": {
        const from = intBits(o[0]!.type), to = intBits(t);
        if (from === null || to === null) throw new Unsupported(`${what} from ${o[0]!.type} to ${t}`);
        if (i.opcode === "trunc") return wrap(to, a[0]!);
        if (i.opcode === "zext") return `((u${to === 1 ? 8 : to})${a[0]})`;
        if (from === 1) return wrap(to, `(u64)0 - (u64)${a[0]}`);
        return `((u${to === 1 ? 8 : to})(s${to})${sgn(from, a[0]!)})`;
      }
      case "ptrtoint": {
        ctype(o[0]!.type);
        const to = intBits(t);
        if (to === null) throw new Unsupported(`${what} to ${t}`);
        return to === 64 ? a[0]! : wrap(to, a[0]!);
      }
      case "inttoptr": {
        ctype(t);
        if (intBits(o[0]!.type) === null) throw new Unsupported(`${what} from ${o[0]!.type}`);
        return `((u64)${a[0]})`;
      }
      case "bitcast": {
        const from = o[0]!.type, ft = ctype(from), tt = ctype(t);
        if (ft === tt && (from.kind === t.kind)) return a[0]!;
        if (ft === "double" && tt === "u64") return `${this.helper("bd")}(${a[0]})`;
        if (ft === "u64" && tt === "double" && from.kind === "int") return `${this.helper("db")}(${a[0]})`;
        if (ft === "float" && tt === "u32") return `${this.helper("bf")}(${a[0]})`;
        if (ft === "u32" && tt === "float") return `${this.helper("fb")}(${a[0]})`;
        throw new Unsupported(`${what} from ${from} to ${t}`);
      }
      case "fpext": case "fptrunc": {
        const ft = ctype(o[0]!.type), tt = ctype(t);
        if ((ft !== "double" && ft !== "float") || (tt !== "double" && tt !== "float")) throw new Unsupported(`${what} from ${o[0]!.type} to ${t}`);
        return `((${tt})${a[0]})`;
      }
      case "fptosi": case "fptoui": {
        const ft = ctype(o[0]!.type), to = intBits(t);
        if ((ft !== "double" && ft !== "float") || to === null || to === 1) throw new Unsupported(`${what} from ${o[0]!.type} to ${t}`);
        if (i.opcode === "fptosi") return wrap(to, `(s64)${a[0]}`);
        if (to === 64) return `${this.helper(ft === "double" ? "d2u" : "f2u")}(${a[0]})`;
        return wrap(to, `(s64)${a[0]}`);
      }
      case "sitofp": case "uitofp": {
        const from = intBits(o[0]!.type), tt = ctype(t);
        if (from === null || (tt !== "double" && tt !== "float")) throw new Unsupported(`${what} from ${o[0]!.type} to ${t}`);
        if (i.opcode === "sitofp") return `((${tt})(s64)${sgn(from, a[0]!)})`;
        if (from === 64) return `${this.helper(tt === "double" ? "u2d" : "u2f")}(${a[0]})`;
        return `((${tt})(s64)(u64)${a[0]})`;
      }
      case "getelementptr": return this.gep(i, a, what);
      default: throw new Unsupported(what);
    }
  }

  private gep(i: OpLike, a: string[], what: string): string {
    ctype(i.type);
    if (!i.elemType) throw new Unsupported(`${what} without a source element type`);
    const alloc = (ty: Type): bigint => {
      const l = layoutOf(ty);
      return BigInt(Math.ceil(l.size / l.align) * l.align);
    };
    let off = 0n;
    const terms: string[] = [a[0]!];
    const scaled = (k: number, size: bigint) => {
      const idx = i.operands[k]!;
      if (idx instanceof ConstantInt) { off += idx.signed * size; return; }
      const b = intBits(idx.type);
      if (b === null) throw new Unsupported(`${what} with an index of type ${idx.type}`);
      if (size === 0n) return;
      const e = b === 64 ? a[k]! : `(u64)(s64)${sgn(b, a[k]!)}`;
      terms.push(size === 1n ? e : `${e} * ${intLit(64, size)}`);
    };
    let ty: Type = i.elemType;
    try {
      for (let k = 1; k < i.operands.length; k++) {
        if (k === 1) { scaled(k, alloc(ty)); continue; }
        if (ty instanceof StructType) {
          const idx = i.operands[k];
          if (!(idx instanceof ConstantInt) || ty.elems === null) throw new Unsupported(`${what} into ${ty}`);
          const f = Number(idx.value);
          if (f >= ty.elems.length) throw new Unsupported(`${what}: field ${f} of ${ty}`);
          off += BigInt(structLayout(ty.elems, ty.packed).offsets[f]!);
          ty = ty.elems[f]!;
        } else if (ty instanceof ArrayType) {
          scaled(k, alloc(ty.elem));
          ty = ty.elem;
        } else throw new Unsupported(`${what} into ${ty}`);
      }
    } catch (e) {
      if (e instanceof Unsupported) throw e;
      throw new Unsupported(`${what}: ${(e as Error).message}`);
    }
    if (BigInt.asUintN(64, off) !== 0n) terms.push(intLit(64, off));
    return terms.length === 1 ? terms[0]! : `(${terms.join(" + ")})`;
  }

  /** Parameter C types of a call's function type, and the argument expressions cast to them. */
  private callArgs(inst: Instruction, fnType: FunctionType, callee: Function | null): { params: string[]; args: string[] } {
    const params: string[] = [];
    const args: string[] = [];
    const actual = inst.args;
    if (actual.length < fnType.params.length || (!fnType.varargs && actual.length !== fnType.params.length))
      throw new Unsupported(`a call with ${actual.length} arguments to a function of type ${fnType}`);
    actual.forEach((v, k) => {
      const attrs: AttrList = [...(inst.argAttrs?.[k] ?? []), ...(callee && k < callee.args.length ? callee.args[k]!.attrs : [])];
      for (const bad of ["byval", "inalloca", "preallocated", "nest", "swiftself", "swifterror", "swiftasync"])
        if (findAttr(attrs, bad)) throw new Unsupported(`a ${bad} argument`);
      let ct = ctype(v.type);
      let e = this.val(v);
      const b = intBits(v.type);
      const signext = !!findAttr(attrs, "signext"), zeroext = !!findAttr(attrs, "zeroext");
      if (signext && zeroext) throw new Unsupported("an argument both signext and zeroext");
      if (k >= fnType.params.length) {
        // The variadic part: C would promote small integers and floats itself.
        if (ct === "float" || (b !== null && b < 32)) throw new Unsupported(`a variadic argument of type ${v.type}`);
        args.push(e);
        return;
      }
      if (signext && b !== null && b < 32) {
        if (b === 1) throw new Unsupported("a signext i1 argument");
        ct = `s${b}`;
        e = `(${ct})${e}`;
      }
      params.push(ct);
      args.push(e);
    });
    if (fnType.varargs) params.push("...");
    else if (params.length === 0) params.push("void");
    return { params, args };
  }

  private retType(t: Type): string { return t.isVoid() ? "void" : ctype(t); }

  /** A call that is not a guard: returns the statement. */
  private call(inst: Instruction, dst: string | null): string {
    const callee = inst.callee;
    const fnType = inst.fnType;
    if (!fnType) throw new Unsupported("a call without a function type");
    if (inst.cconv && inst.cconv !== "ccc") throw new Unsupported(`the calling convention ${inst.cconv}`);
    if (inst.tail === "musttail") throw new Unsupported("musttail");
    if (callee instanceof InlineAsm) throw new Unsupported("inline asm");
    const assign = (e: string) => {
      if (dst === null) return `${e};`;
      return inst.type.isInt(1) ? `${dst} = (u8)(${e} & 1);` : `${dst} = ${e};`;
    };
    if (callee instanceof Function && callee.name?.startsWith("llvm.")) return this.intrinsic(inst, callee.name, dst);
    if (callee instanceof Function && callee.name?.startsWith("ykts.")) throw new Unsupported(`the pseudo function @${callee.name}`);
    if (inst.bundles?.length) throw new Unsupported(`a call with operand bundles ${inst.bundles.map((b) => b.tag).join(", ")}`);
    const fn = callee instanceof Function ? callee : null;
    if (fn && fn.cconv && fn.cconv !== "ccc") throw new Unsupported(`the calling convention ${fn.cconv} of @${fn.name}`);
    const ret = this.retType(fnType.ret);
    const { params, args } = this.callArgs(inst, fnType, fn);
    const target = this.val(callee);
    return assign(`((${ret} (*)(${params.join(", ")}))${target})(${args.join(", ")})`);
  }

  private intrinsic(inst: Instruction, name: string, dst: string | null): string {
    if (NOOP_INTRINSICS.some((p) => name.startsWith(p))) {
      if (!inst.type.isVoid()) throw new Unsupported(name);
      return "";
    }
    if (inst.bundles?.length) throw new Unsupported(`a call of ${name} with operand bundles`);
    const a = inst.args.map((v) => this.val(v));
    const args = inst.args;
    const set = (e: string) => {
      if (dst === null) throw new Unsupported(`${name} without a result`);
      return `${dst} = ${e};`;
    };
    const ptrTy = (v: Value) => { if (v.type.kind !== "ptr") throw new Unsupported(`${name} on ${v.type}`); ctype(v.type); };
    if (/^llvm\.mem(cpy|move)(\.inline)?\.p0\.p0\.i(32|64)$/.test(name) || /^llvm\.memset(\.inline)?\.p0\.i(32|64)$/.test(name)) {
      ptrTy(args[0]!);
      const isSet = name.startsWith("llvm.memset");
      if (isSet) {
        const f = this.libmFnRaw("memset", "extern void *__ykc_m_memset(void *, int, u64) __asm__(\"memset\");");
        return `${f}((void *)${a[0]}, ${a[1]}, (u64)${a[2]});`;
      }
      ptrTy(args[1]!);
      const c = name.startsWith("llvm.memmove") ? "memmove" : "memcpy";
      const f = this.libmFnRaw(c, `extern void *__ykc_m_${c}(void *, const void *, u64) __asm__("${c}");`);
      return `${f}((void *)${a[0]}, (const void *)${a[1]}, (u64)${a[2]});`;
    }
    let m = /^llvm\.(ctlz|cttz|ctpop|bswap|smax|smin|umax|umin|abs|fshl|fshr|expect|expect\.with\.probability)\.i(\d+)$/.exec(name);
    if (m) {
      const b = intBits(inst.type);
      if (b === null || String(b) !== m[2]) throw new Unsupported(name);
      switch (m[1]) {
        case "ctlz": return set(wrap(b, `${this.helper("clz")}((u64)${a[0]}) - ${64 - b}`));
        case "cttz": return set(wrap(b, `${a[0]} ? ${this.helper("ctz")}((u64)${a[0]}) : ${b}`));
        case "ctpop": return set(wrap(b, `${this.helper("pop")}((u64)${a[0]})`));
        case "bswap":
          if (b % 16 !== 0) throw new Unsupported(name);
          return set(wrap(b, `${this.helper("bswap")}((u64)${a[0]}) >> ${64 - b}`));
        case "smax": case "smin": {
          const rel = m[1] === "smax" ? ">" : "<";
          return set(`((u${b === 1 ? 8 : b})(${sgn(b, a[0]!)} ${rel} ${sgn(b, a[1]!)} ? ${a[0]} : ${a[1]}))`);
        }
        case "umax": case "umin": {
          const rel = m[1] === "umax" ? ">" : "<";
          return set(`((u${b === 1 ? 8 : b})(${a[0]} ${rel} ${a[1]} ? ${a[0]} : ${a[1]}))`);
        }
        case "abs":
          if (b === 1) throw new Unsupported(name);
          return set(wrap(b, `${sgn(b, a[0]!)} < 0 ? (${wideU(b)})0 - (${wideU(b)})${a[0]} : (${wideU(b)})${a[0]}`));
        case "fshl": case "fshr": {
          if (b === 1) throw new Unsupported(name);
          // fshl(x, y, s) = top half of (x:y) << (s mod N); fshr: bottom half of (x:y) >> (s mod N).
          const s = `(${a[2]} % ${b})`;
          const x = `(u64)${a[0]}`, y = `(u64)${a[1]}`;
          if (m[1] === "fshl") return set(wrap(b, `${s} ? (${x} << ${s}) | (${y} >> (${b} - ${s})) : ${x}`));
          return set(wrap(b, `${s} ? (${y} >> ${s}) | (${x} << (${b} - ${s})) : ${y}`));
        }
        default: return set(a[0]!); // llvm.expect*
      }
    }
    m = /^llvm\.([a-z0-9]+)\.f(32|64)$/.exec(name);
    if (m) {
      const ct = m[2] === "64" ? "double" : "float";
      if (ctype(inst.type) !== ct) throw new Unsupported(name);
      const suffix = ct === "float" ? "f" : "";
      const op = m[1]!;
      if (op === "fabs") {
        return set(ct === "double" ? `${this.helper("db")}(${this.helper("bd")}(${a[0]}) & 0x7fffffffffffffffull)` : `${this.helper("fb")}(${this.helper("bf")}(${a[0]}) & 0x7fffffffu)`);
      }
      if (op === "fmuladd") return set(`((${ct})((${ct})(${a[0]} * ${a[1]}) + ${a[2]}))`);
      if (op === "fma") return set(`${this.libmFn("fma" + suffix, ct, 3)}(${a[0]}, ${a[1]}, ${a[2]})`);
      if (LIBM_UNARY[op]) return set(`${this.libmFn(LIBM_UNARY[op] + suffix, ct, 1)}(${a[0]})`);
      if (LIBM_BINARY[op]) return set(`${this.libmFn(LIBM_BINARY[op] + suffix, ct, 2)}(${a[0]}, ${a[1]})`);
      throw new Unsupported(name);
    }
    if (/^llvm\.ptrmask\.p0\.i64$/.test(name)) { ptrTy(args[0]!); return set(`(${a[0]} & ${a[1]})`); }
    if (name.startsWith("llvm.is.constant.")) return set("((u8)0)");
    throw new Unsupported(`the intrinsic ${name}`);
  }

  private libmFnRaw(name: string, decl: string): string {
    const id = `__ykc_m_${name}`;
    if (!this.libm.has(id)) this.libm.set(id, decl);
    return id;
  }

  /** One instruction of entry or the body (not a phi, not the terminator). */
  private instruction(inst: Instruction, k: number, inEntry: boolean): void {
    const out = this.body;
    if (isGuard(inst)) {
      if (inEntry) throw new Unsupported("a guard in the entry block");
      this.guard(inst);
      return;
    }
    if (isUpgradeCheck(inst)) {
      // True but every UPGRADE_POLL_PERIOD-th time, when the runtime says whether the trace has been upgraded.
      if (inEntry) throw new Unsupported("an upgrade check in the entry block");
      if (!inst.type.isInt(1) || inst.args.length) throw new Unsupported("an upgrade check of another type than i1 ()");
      const dst = this.local(inst, "v", k);
      this.ticks = true;
      out.push(`${dst} = 1; if (!(++__ykc_tick & ${UPGRADE_POLL_PERIOD - 1})) ${dst} = (u8)(__ykc_poll(__ykc_owner) == 0);`);
      return;
    }
    if (this.inlined.has(inst) && inst.opcode !== "load") {
      // A pure value with one use in this block: its expression goes there.
      const e = this.op(inst, inst.operands.map((o) => this.val(o)), inst.opcode);
      const d = 1 + Math.max(0, ...inst.operands.map((o) => this.depth.get(o) ?? 0));
      if (d <= MAX_INLINE_DEPTH) {
        this.names.set(inst, e);
        this.depth.set(inst, d);
        return;
      }
    }
    const dst = inst.type.isVoid() ? null : this.local(inst, "v", k);
    switch (inst.opcode) {
      case "alloca": throw new Unsupported("an alloca outside the entry block");
      case "load": {
        if (inst.ordering || inst.flags.includes("atomic")) throw new Unsupported("an atomic load");
        const ct = ctype(inst.type);
        ctype(inst.operands[0]!.type);
        const vol = inst.flags.includes("volatile") ? "volatile " : "";
        const p = this.val(inst.operands[0]!);
        const live = inEntry && this.fromLive(inst);
        const d = 1 + (this.depth.get(inst.operands[0]!) ?? 0);
        if (live || (this.inlined.has(inst) && d <= MAX_INLINE_DEPTH)) {
          // A root trace's load of the live struct: nothing writes the
          // struct while the trace runs (a side trace's stores and a
          // deopt's are followed by a reload or by leaving), so the load
          // can be made where the value is used instead. Most of these
          // values are used only in cold exits, if at all: reload then
          // costs nothing for them (clang sinks such loads itself).
          // Or a load of the loop with one use and no write to memory
          // before that use (chooseInlined).
          this.locals.get(ct)!.pop();
          this.names.set(inst, inst.type.isInt(1) ? `((u8)(*(u8 *)${p} & 1))` : `(*(${ct} *)${p})`);
          this.depth.set(inst, d);
          return;
        }
        out.push(inst.type.isInt(1) ? `${dst} = (u8)(*(${vol}u8 *)${p} & 1);` : `${dst} = *(${vol}${ct} *)${p};`);
        return;
      }
      case "store": {
        if (inst.ordering || inst.flags.includes("atomic")) throw new Unsupported("an atomic store");
        const v = inst.operands[0]!;
        const ct = ctype(v.type);
        ctype(inst.operands[1]!.type);
        const vol = inst.flags.includes("volatile") ? "volatile " : "";
        out.push(`*(${vol}${ct} *)${this.val(inst.operands[1]!)} = ${this.val(v)};`);
        return;
      }
      case "call": {
        const s = this.call(inst, dst);
        if (s) out.push(s);
        return;
      }
      default: {
        if (!dst) throw new Unsupported(inst.opcode);
        out.push(`${dst} = ${this.op(inst, inst.operands.map((o) => this.val(o)), inst.opcode)};`);
      }
    }
  }

  /** A non-volatile load of `live` plus a constant in a root trace that loops (see instruction()); one that does not loop stores into `live` at its end. */
  private fromLive(inst: Instruction): boolean {
    if (!loops(this.t) || this.opts.inline === false || inst.flags.includes("volatile")) return false;
    const p = inst.operands[0];
    return p instanceof Instruction && p.opcode === "getelementptr" && p.operands[0] === this.t.fn.args[0] &&
      p.operands.slice(1).every((o) => o instanceof ConstantInt);
  }

  private guard(inst: Instruction): void {
    const id = guardId(inst);
    const g = Math.max(1, this.t.guards.length);
    if (!Number.isInteger(id) || id < 0 || id >= g || !this.t.guards[id]) throw new Unsupported(`a guard with id ${id} (the trace has ${this.t.guards.length} guards)`);
    if (inst.bundles && inst.bundles.some((b) => b.tag !== "deopt" && b.tag !== "ykts.stores")) throw new Unsupported("a guard with an operand bundle other than deopt and ykts.stores");
    const cond = inst.operands[0]!;
    if (!cond.type.isInt(1)) throw new Unsupported(`a guard on ${cond.type}`);
    const label = `__ykc_exit${this.exits.length}`;
    this.body.push(`if (!${this.val(cond)}) goto ${label};`);
    const vals = guardValues(inst);
    const types = vals.map((v) => ctype(v.type));
    const args = vals.map((v) => this.val(v));
    const e = this.exits;
    e.push(`${label}:`);
    // The slots promote-slots keeps in registers go to memory first.
    const st = guardStores(inst);
    for (let k = 0; k < st.length; k += 2) {
      const v = st[k + 1]!;
      e.push(`*(${ctype(v.type)} *)${this.val(st[k]!)} = ${this.val(v)};`);
    }
    e.push(`__ykc_p = __ykc_side[${id}];`);
    e.push(`if (__ykc_p) { __ykc_r = ((s64 (*)(void *${types.map((x) => ", " + x).join("")}))__ykc_p)(__ykc_live${args.map((x) => ", " + x).join("")});`);
    e.push(this.t.side ? "return __ykc_r; }" : `if (__ykc_r == ${SIDE_RESTART}) goto __ykc_reload; return __ykc_r; }`);
    vals.forEach((v, k) => e.push(`__ykc_dv[${k}] = ${this.widened(v)};`));
    this.maxDeopt = Math.max(this.maxDeopt, vals.length);
    e.push(`return (s64)__ykc_deopt(__ykc_owner, ${id}, ${vals.length ? "__ykc_dv" : "(const u64 *)0"}, ${vals.length});`);
  }

  emit(): string {
    const t = this.t;
    const fn = t.fn;
    if (fn.blocks.length !== 2) throw new Unsupported(`a trace function of ${fn.blocks.length} blocks`);
    if (fn.fnType.varargs || !fn.fnType.ret.isInt(64) || fn.args.length < 1 || fn.args[0]!.type.kind !== "ptr")
      throw new Unsupported(`a trace function of type ${fn.fnType}`);
    if (!t.side && fn.args.length !== 1) throw new Unsupported("a root trace with parameters after the live struct");
    if (t.side && t.entryChecks?.length) throw new Unsupported("entry checks in a side trace");
    const [entry, loop] = fn.blocks as [NonNullable<typeof fn.blocks[0]>, NonNullable<typeof fn.blocks[0]>];
    const eInsts = entry.instructions;
    const eTerm = eInsts[eInsts.length - 1];
    if (!eTerm || eTerm.opcode !== "br" || eTerm.operands.length !== 0 || eTerm.blocks[0] !== loop)
      throw new Unsupported("an entry block that does not end in br label %loop");
    const lInsts = loop.instructions;
    const lTerm = lInsts[lInsts.length - 1];
    if (!loops(t)) {
      if (!lTerm || lTerm.opcode !== "ret" || lTerm.operands.length !== 1) throw new Unsupported("a body that does not loop and does not end in ret");
    } else if (!lTerm || lTerm.opcode !== "br" || lTerm.operands.length !== 0 || lTerm.blocks.length !== 1 || lTerm.blocks[0] !== loop)
      throw new Unsupported("a loop block that does not end in br label %loop");

    // Parameters.
    const paramDecls = ["void *__ykc_live"];
    const prologue: string[] = [];
    fn.args.forEach((a, k) => {
      if (k === 0) { this.names.set(a, "a0"); prologue.push("a0 = (u64)__ykc_live;"); this.locals.set("u64", ["a0"]); return; }
      const ct = ctype(a.type);
      this.names.set(a, `a${k}`);
      paramDecls.push(`${ct} a${k}`);
      if (a.type.isInt(1)) prologue.push(`a${k} &= 1;`);
    });

    if (this.opts.inline !== false) this.inlined = chooseInlined(t);
    let k = 0;
    const tag = (inst: Instruction) => `${inst.opcode} #${k} of ${inst.parent === entry ? "entry" : "the loop"}`;
    const fail = (inst: Instruction, e: unknown): never => {
      if (e instanceof Unsupported) {
        let text = "";
        try { text = printInstruction(inst, t.module).trim(); } catch { /* unprintable */ }
        throw new CodegenError(`C backend: ${e.message} is not supported (${tag(inst)}${text ? `: ${text.slice(0, 200)}` : ""})`);
      }
      throw e;
    };

    // Entry: allocas first (kept across reloads), then the reload part.
    const allocas: string[] = [];
    const rest: Instruction[] = [];
    for (const inst of eInsts.slice(0, -1)) {
      if (inst.opcode !== "alloca") { rest.push(inst); continue; }
      try {
        const ty = inst.elemType;
        if (!ty) throw new Unsupported("an alloca without a type");
        let count = 1n;
        if (inst.operands.length) {
          const c = inst.operands[0];
          if (!(c instanceof ConstantInt)) throw new Unsupported("a dynamic alloca");
          count = c.value;
        }
        let size: bigint, align: number;
        try { const l = layoutOf(ty); size = BigInt(Math.ceil(l.size / l.align) * l.align) * count; align = Math.max(16, l.align, inst.align ?? 1); }
        catch (e) { throw new Unsupported(`an alloca of ${ty}: ${(e as Error).message}`); }
        if (size > 1n << 24n) throw new Unsupported(`an alloca of ${size} bytes`);
        if ((align & (align - 1)) !== 0 || align > 4096) throw new Unsupported(`an alloca aligned ${align}`);
        const name = this.local(inst, "v", k);
        allocas.push(`u8 __ykc_m${k}[${size + BigInt(align - 1) || 1n}];`);
        prologue.push(`${name} = ((u64)__ykc_m${k} + ${align - 1}) & ~(u64)${align - 1};`);
      } catch (e) { fail(inst, e); }
      k++;
    }
    const run = (insts: Instruction[], inEntry: boolean) => {
      for (const inst of insts) {
        try { this.instruction(inst, k, inEntry); } catch (e) { fail(inst, e); }
        k++;
      }
    };
    this.body.push("__ykc_reload: ;");
    run(rest, true);
    if (!t.side) {
      const checks = t.entryChecks ?? [];
      if (checks.length) {
        for (const c of checks) if (!c.type.isInt(1) || !this.names.has(c)) throw new CodegenError("C backend: an entry check is not an i1 computed in entry");
        this.body.push(`if (!(${checks.map((c) => this.val(c)).join(" & ")})) return ${t.site};`);
      }
    }
    // The loop: phis first.
    const phis: Instruction[] = [];
    let n = 0;
    for (; n < lInsts.length && lInsts[n]!.opcode === "phi"; n++) phis.push(lInsts[n]!);
    if (!loops(t) && phis.length) throw new CodegenError("C backend: phis in a trace that does not loop");
    const phiIn: [Value, Value][] = [];
    for (const p of phis) {
      try {
        if (p.blocks.length !== 2 || p.operands.length !== 2) throw new Unsupported("a phi without exactly [entry, loop] predecessors");
        const ei = p.blocks.indexOf(entry), li = p.blocks.indexOf(loop);
        if (ei < 0 || li < 0 || ei === li) throw new Unsupported("a phi without exactly [entry, loop] predecessors");
        phiIn.push([p.operands[ei]!, p.operands[li]!]);
        this.local(p, "v", k);
      } catch (e) { fail(p, e); }
      k++;
    }
    phis.forEach((p, j) => {
      try { this.body.push(`${this.names.get(p)} = ${this.val(phiIn[j]![0])};`); } catch (e) { fail(p, e); }
    });
    this.body.push("__ykc_loop: ;");
    const bodyInsts = lInsts.slice(n, -1);
    for (const inst of bodyInsts) if (inst.opcode === "phi") fail(inst, new Unsupported("a phi after a non-phi"));
    run(bodyInsts, false);
    if (!loops(t)) {
      try {
        const r = lTerm.operands[0]!;
        if (!r.type.isInt(64)) throw new Unsupported(`a ret of ${r.type}`);
        this.body.push(`return (s64)${this.val(r)};`);
      } catch (e) { fail(lTerm, e); }
    } else {
      // Back edge: a parallel copy (a phi's new value may be another phi's old one).
      const phiSet = new Set<Value>(phis);
      const tmp: string[] = [];
      const assigns: string[] = [];
      phis.forEach((p, j) => {
        try {
          const back = phiIn[j]![1];
          const dst = this.names.get(p)!;
          if (back === p) return;
          if (phiSet.has(back)) {
            const tn = `__ykc_t${j}`;
            const ct = ctype(p.type);
            let l = this.locals.get(ct);
            if (!l) { l = []; this.locals.set(ct, l); }
            l.push(tn);
            tmp.push(`${tn} = ${this.val(back)};`);
            assigns.push(`${dst} = ${tn};`);
          } else assigns.push(`${dst} = ${this.val(back)};`);
        } catch (e) { fail(p, e); }
      });
      this.body.push(...tmp, ...assigns, "__ykc_iters++;", "goto __ykc_loop;");
    }

    // The unit.
    const name = t.name;
    const meta = encodeMeta(t);
    const G = Math.max(1, t.guards.length);
    const out: string[] = [PREAMBLE];
    for (const h of this.helpers) out.push(HELPERS[h]!);
    for (const d of this.libm.values()) out.push(d);
    for (const [ykir, id] of this.externs) out.push(`extern char ${id}[] __asm__("${cString(ykir)}");`);
    out.push(...this.fpConstDecls);
    out.push(`extern const u8 __ykc_meta[${meta.length}] __asm__("${cString(name + "_meta")}");`);
    out.push(`__attribute__((aligned(8))) const u8 __ykc_meta[${meta.length}] =\n${bytesLiteral(meta)};`);
    out.push(`extern void *__ykc_side[${G}] __asm__("${cString(name + "_side")}");`);
    out.push(`void *__ykc_side[${G}] = { 0 };`);
    out.push(`extern void *__ykc_owner __asm__("${cString(name + "_owner")}");`);
    out.push(`void *__ykc_owner = 0;`);
    if (loops(t)) {
      out.push(`extern u64 __ykc_iters __asm__("${cString(name + "_iters")}");`);
      out.push(`u64 __ykc_iters = 0;`);
    }
    out.push(`s64 __ykc_trace(${paramDecls.join(", ")}) __asm__("${cString(name)}");`);
    out.push(`s64 __ykc_trace(${paramDecls.join(", ")}) {`);
    out.push("void *__ykc_p; s64 __ykc_r;");
    if (this.maxDeopt) out.push(`u64 __ykc_dv[${this.maxDeopt}];`);
    if (this.ticks) { out.push("u32 __ykc_tick;"); prologue.unshift("__ykc_tick = 0;"); }
    for (const [ct, names] of this.locals)
      for (let j = 0; j < names.length; j += 64) out.push(`${ct} ${names.slice(j, j + 64).join(", ")};`);
    out.push(...allocas, ...prologue, ...this.body, ...this.exits, "}", "");
    return out.join("\n");
  }
}

/**
 * The C translation unit of a trace (see the header). Throws CodegenError
 * for anything it does not translate exactly; never changes the trace.
 */
export interface EmitCOptions {
  /** Substitute single-use pure values into their use (default true; false for comparisons). */
  inline?: boolean;
}

export function emitC(t: Trace, opts: EmitCOptions = {}): string {
  try {
    return new CEmitter(t, opts).emit();
  } catch (e) {
    if (e instanceof Unsupported) throw new CodegenError(`C backend: ${e.message} is not supported`);
    throw e;
  }
}
