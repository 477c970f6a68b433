// The C backend (src/codegen/c.ts) on hand-built traces: each is compiled
// with `tcc -shared` and run by test/trace/c-harness.c, which plays the
// runtime (dlopen, live struct, __ykts_deopt_v, side-trace table). Expected
// values are worked out by hand (or by JS's own IEEE arithmetic) and the
// same traces compiled by the LLVM backend (clang -O2 + ld.lld, as jitd
// does) must give the same results: the LLVM tier's deopt values live in
// the stackmap the harness does not read, so only results written to the
// live struct, return values and guard ids are compared there.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import {
  ConstantExpr, ConstantFP, IRBuilder, Instruction, Module, addBlock, addFunction, addGlobal, addNamedStruct, arrayType, constInt,
  floatType, functionType, i1, i16, i32, i64, i8, intType, poison, ptr, structType, vectorType, voidType,
} from "../../src/ykir/index.js";
import type { Function, Type, Value } from "../../src/ykir/index.js";
import { GUARD_FN, SIDE_RESTART, UPGRADE_CHECK_FN, dropUpgradeCheck, printTrace, type GuardInfo, type Trace } from "../../src/trace-ir/trace.js";
import { bufferLayout } from "../../src/trace-ir/layout.js";
import { verifyTrace } from "../../src/trace-ir/verify.js";
import { assignDeoptSources } from "../../src/codegen/deopt-sources.js";
import { run as foldInvariantPhis } from "../../src/opt/fold-invariant-phis.js";
import { CodegenError, emitLLVM, encodeMeta } from "../../src/codegen/llvm.js";
import { emitC } from "../../src/codegen/c.js";

const f64 = floatType("double");
const f32 = floatType("float");
const HARNESS_SRC = new URL("./c-harness.c", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "ykts-c-backend-"));
let harness = "";

beforeAll(() => {
  harness = join(dir, "harness");
  execFileSync("clang-19", ["-O2", "-rdynamic", "-o", harness, HARNESS_SRC, "-ldl", "-Wl,--no-as-needed", "-lm"]);
});

// ---- building traces -----------------------------------------------------------

const sizeOf = (t: Type) => (t.isInt(1) || t.isInt(8) ? 1 : t.isInt(16) ? 2 : t.isInt(32) || t === f32 ? 4 : 8);

/** A trace under construction: live values loaded in entry, then the loop. */
class TB {
  m = new Module();
  fn: Function;
  guardFn: Function;
  entry; loop;
  b = new IRBuilder();
  guards: GuardInfo[] = [];
  loads: Instruction[];
  offsets: number[];
  liveSize: number;
  private phis: Instruction[] = [];
  constructor(public name: string, public liveTypes: Type[], opts: { params?: Type[]; extra?: number } = {}) {
    const params = opts.params ?? [];
    this.fn = addFunction(this.m, name, functionType(i64, [ptr, ...params]), { argNames: ["live", ...params.map((_, k) => `in${k}`)] });
    this.guardFn = addFunction(this.m, GUARD_FN, functionType(voidType, [i1, i32]));
    this.entry = addBlock(this.fn, "entry");
    this.loop = addBlock(this.fn, "loop");
    const { offsets, size } = bufferLayout(liveTypes);
    this.offsets = offsets;
    this.liveSize = size + (opts.extra ?? 0);
    this.b.atEnd(this.entry);
    this.loads = liveTypes.map((ty, k) => this.b.load(ty, this.livePtr(offsets[k]!)));
  }
  get live(): Value { return this.fn.args[0]!; }
  livePtr(off: number): Instruction { return this.b.gep(i8, this.live, [constInt(i64, off)], ["inbounds"]); }
  /** A loop phi (call before anything else goes into the loop). */
  phi(init: Value): Instruction {
    const p = new Instruction("phi", init.type, [init], null);
    p.blocks = [this.entry];
    this.loop.append(p);
    this.phis.push(p);
    return p;
  }
  inLoop(): IRBuilder { return this.b.atEnd(this.loop); }
  guard(cond: Value, values: Value[]): Instruction {
    const id = this.guards.length;
    const g = new Instruction("call", voidType, [cond, constInt(i32, id), this.guardFn], null);
    g.fnType = this.guardFn.fnType;
    g.bundles = [{ tag: "deopt", values }];
    this.b.insert(g);
    let off = 16;
    const slots = values.map((v) => { const s = { offset: off, size: sizeOf(v.type), source: 0 as const, payload: 0n }; off += 8; return s; });
    this.guards.push({ id, what: `guard ${id}`, frames: [{ fn: "interp", resumePoint: 10 + id, kind: "term", bufSize: Math.ceil(off / 16) * 16, slots }] });
    return g;
  }
  /** Closes the loop (backs: each phi's value at the end of an iteration) or, for a side trace, returns ret. */
  finish(opts: { backs?: Value[]; ret?: bigint; site?: number; entryChecks?: Value[] } = {}): Trace {
    this.b.atEnd(this.entry).br(this.loop);
    const side = opts.ret !== undefined;
    if (side) this.b.atEnd(this.loop).ret(constInt(i64, opts.ret!));
    else {
      this.phis.forEach((p, k) => { p.operands.push(opts.backs![k]!); p.blocks.push(this.loop); });
      this.b.atEnd(this.loop).br(this.loop);
    }
    const t: Trace = {
      name: this.name, startFn: "interp", site: opts.site ?? 0, liveTypes: this.liveTypes, liveOffsets: this.offsets, liveSize: this.liveSize,
      module: this.m, fn: this.fn, guards: this.guards, recordedBlocks: 3,
      ...(side ? { side: { parent: "parent", guard: 0, frames: [], endsAtRoot: true } } : {}),
      ...(opts.entryChecks ? { entryChecks: opts.entryChecks } : {}),
    };
    expect(verifyTrace(t)).toEqual([]);
    return t;
  }
}

// ---- compiling and running ---------------------------------------------------------

let serial = 0;
function compileC(t: Trace, inline = true): string {
  const base = join(dir, `${t.name}-c${serial++}`);
  writeFileSync(`${base}.c`, emitC(t, { inline }));
  execFileSync("tcc", ["-shared", "-o", `${base}.so`, `${base}.c`], { stdio: ["ignore", "pipe", "pipe"] });
  return `${base}.so`;
}
function compileLLVM(t: Trace): string {
  const base = join(dir, `${t.name}-llvm${serial++}`);
  writeFileSync(`${base}.ll`, emitLLVM(t));
  execFileSync("clang-19", ["-O2", "-fPIC", "-c", "-w", `${base}.ll`, "-o", `${base}.o`]);
  execFileSync("ld.lld-19", ["-shared", "-z", "notext", `${base}.o`, "-o", `${base}.so`]);
  return `${base}.so`;
}

interface Run {
  ret?: bigint;
  live: Buffer;
  deopts: { owner: boolean; guard: number; values: bigint[] }[];
  llvmDeopts: number[];
  sides: { g: number; n: number; live: boolean; args: bigint[] }[];
  polls: { owner: boolean; n: number }[];
  ext: string[];
  meta?: { size: number; align8: boolean; hex: string };
  out: string;
}
function run(so: string, sym: string, liveSize: number, ops: string[]): Run {
  const out = execFileSync(harness, [so, sym, String(liveSize), ...ops], { encoding: "utf8" });
  const r: Run = { live: Buffer.alloc(0), deopts: [], llvmDeopts: [], sides: [], polls: [], ext: [], out };
  const hexList = (s: string) => (s ? s.split(",").map((x) => BigInt(`0x${x}`)) : []);
  for (const line of out.split("\n")) {
    let m: RegExpExecArray | null;
    if ((m = /^ret=(-?\d+)$/.exec(line))) r.ret = BigInt(m[1]!);
    else if ((m = /^live=([0-9a-f]*)$/.exec(line))) r.live = Buffer.from(m[1]!, "hex");
    else if ((m = /^deopt owner=(\d) guard=(\d+) count=(\d+) values=(.*)$/.exec(line))) {
      const values = hexList(m[4]!);
      expect(values.length).toBe(Number(m[3]));
      r.deopts.push({ owner: m[1] === "1", guard: Number(m[2]), values });
    } else if ((m = /^deopt-llvm guard=(\d+)$/.exec(line))) r.llvmDeopts.push(Number(m[1]));
    else if ((m = /^side g=(\d+) n=(\d+) live=(\d) args=(.*)$/.exec(line))) r.sides.push({ g: Number(m[1]), n: Number(m[2]), live: m[3] === "1", args: hexList(m[4]!) });
    else if ((m = /^meta size=(\d+) align8=(\d) hex=([0-9a-f]*)$/.exec(line))) r.meta = { size: Number(m[1]), align8: m[2] === "1", hex: m[3]! };
    else if ((m = /^poll owner=(\d) n=(\d+)$/.exec(line))) r.polls.push({ owner: m[1] === "1", n: Number(m[2]) });
    else if (line.startsWith("ext.")) r.ext.push(line);
    else if (line) throw new Error(`harness: ${line}`);
  }
  return r;
}
const set = (off: number, v: bigint | number) => `set:${off}:${BigInt.asUintN(64, BigInt(v)).toString(16)}`;
const u64At = (b: Buffer, off: number) => b.readBigUInt64LE(off);
const dbits = (x: number) => { const d = new DataView(new ArrayBuffer(8)); d.setFloat64(0, x); return d.getBigUint64(0); };
const fbits = (x: number) => { const d = new DataView(new ArrayBuffer(4)); d.setFloat32(0, x); return BigInt(d.getUint32(0)); };

// ---- the traces ---------------------------------------------------------------------

/**
 * live { [16 x i8], i64 n (16), i64 i (24), ptr g (32) }; each iteration
 * adds 1 to i, stores it into @ext.counter and leaves when i == n (guard 0
 * carries n, i, g).
 */
function countingLoop(name: string): Trace {
  const tb = new TB(name, [i64, i64, ptr]);
  const counter = addGlobal(tb.m, "ext.counter", i64, null, { linkage: "external" });
  const [n, i, g] = tb.loads.map((l) => tb.phi(l)) as [Instruction, Instruction, Instruction];
  const b = tb.inLoop();
  const inc = b.add(i, constInt(i64, 1));
  b.store(inc, counter);
  tb.guard(b.icmp("ne", inc, n), [n, inc, g]);
  return tb.finish({ backs: [n, inc, g] });
}

type OpFn = (b: IRBuilder, x: Record<string, Value>) => Value;
/**
 * A trace that loads its inputs, computes each output once and stores it
 * (with its own type) into an 8-byte slot of the live struct after the
 * inputs, then leaves through guard 0 (condition false, no values).
 */
function opsTrace(name: string, inputs: [string, Type][], outs: [string, OpFn][], setup?: (tb: TB) => void): { t: Trace; outOff: Map<string, number>; inOff: Map<string, number> } {
  const tb0 = bufferLayout(inputs.map((x) => x[1]));
  const outBase = Math.ceil(tb0.size / 8) * 8;
  const tb = new TB(name, inputs.map((x) => x[1]), { extra: outBase - tb0.size + 8 * outs.length });
  setup?.(tb);
  const x: Record<string, Value> = {};
  inputs.forEach(([n], k) => { x[n] = tb.loads[k]!; });
  const b = tb.inLoop();
  const outOff = new Map<string, number>();
  outs.forEach(([n, f], k) => {
    const v = f(b, x);
    x[n] = v;
    const off = outBase + 8 * k;
    outOff.set(n, off);
    b.store(v, tb.livePtr(off));
  });
  tb.guard(constInt(i1, 0), []);
  const inOff = new Map(inputs.map(([n], k) => [n, tb.offsets[k]!] as [string, number]));
  return { t: tb.finish({ backs: [] }), outOff, inOff };
}

/** Runs an ops trace on both tiers and checks every output against what is expected (the low bytes of each slot). */
function checkOps(make: () => ReturnType<typeof opsTrace>, inputs: Record<string, bigint>, expected: Record<string, bigint>, widths: Record<string, number> = {}): void {
  const results: Record<string, bigint>[] = [];
  for (const tier of ["c", "c-locals", "llvm"] as const) {
    const { t, outOff, inOff } = make();
    const so = tier === "llvm" ? compileLLVM(t) : compileC(t, tier === "c");
    const r = run(so, t.name, t.liveSize, [...Object.entries(inputs).map(([n, v]) => set(inOff.get(n)!, v)), "call"]);
    expect(r.ret).toBe(1000n);
    if (tier !== "llvm") expect(r.deopts).toEqual([{ owner: true, guard: 0, values: [] }]);
    else expect(r.llvmDeopts).toEqual([0]);
    const got: Record<string, bigint> = {};
    for (const [n, off] of outOff) {
      const bytes = widths[n] ?? 8;
      got[n] = BigInt.asUintN(bytes * 8, u64At(r.live, off));
    }
    results.push(got);
  }
  const want: Record<string, bigint> = {};
  for (const [n, v] of Object.entries(expected)) want[n] = BigInt.asUintN((widths[n] ?? 8) * 8, v);
  expect(results[0]).toEqual(want); // C tier
  expect(results[1]).toEqual(want); // C tier, every value a local
  expect(results[2]).toEqual(want); // LLVM tier
}

describe("C backend", () => {
  test("a counting loop leaves through its guard after n iterations with the right deopt values (both tiers)", () => {
    const t = countingLoop("count");
    const so = compileC(t);
    const r = run(so, "count", t.liveSize, [set(16, 5), set(24, 0), set(32, 0x1234567890n), "call"]);
    expect(r.ret).toBe(1000n);
    expect(r.deopts).toEqual([{ owner: true, guard: 0, values: [5n, 5n, 0x1234567890n] }]);
    // The trace only reads the live struct.
    expect(u64At(r.live, 24)).toBe(0n);

    const l = run(compileLLVM(countingLoop("count")), "count", t.liveSize, [set(16, 5), set(24, 0), set(32, 0x1234567890n), "call"]);
    expect(l.ret).toBe(1000n);
    expect(l.llvmDeopts).toEqual([0]);
    expect(l.live).toEqual(r.live);

    // After the passes and deopt sources jitd runs, only i stays in the bundle.
    const t2 = countingLoop("count2");
    foldInvariantPhis(t2);
    assignDeoptSources(t2);
    const r2 = run(compileC(t2), "count2", t2.liveSize, [set(16, 3), set(24, 0), "call"]);
    expect(r2.deopts).toEqual([{ owner: true, guard: 0, values: [3n] }]);
  });

  test("S_meta is encodeMeta's bytes, aligned 8, its ELF symbol sized; S_side, S_owner and S_iters are exported", () => {
    const t = countingLoop("metatest");
    t.guards.push({ ...t.guards[0]!, id: 1 }); // a second guard: S_side has 2 entries
    const bytes = encodeMeta(t);
    const so = compileC(t);
    const r = run(so, "metatest", t.liveSize, ["meta"]);
    expect(r.meta).toEqual({ size: bytes.length, align8: true, hex: Buffer.from(bytes).toString("hex") });
    const syms = execFileSync("readelf", ["--dyn-syms", "-W", so], { encoding: "utf8" });
    const defined = syms.split("\n").map((l) => l.trim().split(/\s+/)).filter((f) => f.length >= 8 && f[6] !== "UND" && /^(FUNC|OBJECT)$/.test(f[3]!));
    const byName = new Map(defined.map((f) => [f[7]!, { size: Number(f[2]), type: f[3] }]));
    expect(byName.get("metatest_meta")).toEqual({ size: bytes.length, type: "OBJECT" });
    expect(byName.get("metatest_side")).toEqual({ size: 16, type: "OBJECT" });
    expect(byName.get("metatest_owner")).toEqual({ size: 8, type: "OBJECT" });
    expect(byName.get("metatest")?.type).toBe("FUNC");
    expect(byName.get("metatest_iters")).toEqual({ size: 8, type: "OBJECT" }); // a root trace that loops
    // Nothing of the unit's own but these five (tcc adds _init, _fini and the like).
    const ours = [...byName.keys()].filter((n) => !/^_/.test(n));
    expect(ours.sort()).toEqual(["metatest", "metatest_iters", "metatest_meta", "metatest_owner", "metatest_side"]);
  });

  test("emitC does not change the trace: emitLLVM afterwards prints what it prints on a fresh copy", () => {
    const t = countingLoop("pure");
    assignDeoptSources(t);
    const before = printTrace(t);
    emitC(t);
    expect(printTrace(t)).toBe(before);
    const fresh = countingLoop("pure");
    assignDeoptSources(fresh);
    expect(emitLLVM(t)).toBe(emitLLVM(fresh));
  });

  test("integer semantics: wraparound, signed/unsigned division, shifts, extensions, compares, select, intrinsics", () => {
    const tr = (b: IRBuilder, v: Value, t: Type) => b.cast("trunc", v, t);
    const call = (b: IRBuilder, m: Module, name: string, ret: Type, args: Value[]) => {
      const f = m.getFunction(name) ?? addFunction(m, name, functionType(ret, args.map((a) => a.type)));
      return b.call(f, args);
    };
    let mod: Module;
    const make = () => opsTrace("ints", [["x", i64], ["y", i64], ["z", i64], ["w", i64], ["s", i64], ["u", i64]], [
      ["z8", (b, x) => tr(b, x.z!, i8)], ["u8", (b, x) => tr(b, x.u!, i8)],
      ["add8", (b, x) => b.add(x.z8!, constInt(i8, 100))], ["mul8", (b, x) => b.mul(x.z8!, x.u8!)], ["sub8", (b, x) => b.sub(x.u8!, x.z8!)],
      ["sdiv8", (b, x) => b.binop("sdiv", x.z8!, x.u8!)], ["srem8", (b, x) => b.binop("srem", x.z8!, x.u8!)],
      ["udiv8", (b, x) => b.binop("udiv", x.z8!, x.u8!)], ["urem8", (b, x) => b.binop("urem", x.z8!, x.u8!)],
      ["ashr8", (b, x) => b.binop("ashr", x.z8!, constInt(i8, 2))], ["lshr8", (b, x) => b.binop("lshr", x.z8!, constInt(i8, 2))],
      ["shl8", (b, x) => b.binop("shl", x.z8!, constInt(i8, 1))],
      ["sext8", (b, x) => b.cast("sext", x.z8!, i64)], ["zext8", (b, x) => b.cast("zext", x.z8!, i64)],
      ["slt8", (b, x) => b.icmp("slt", x.z8!, x.u8!)], ["ult8", (b, x) => b.icmp("ult", x.z8!, x.u8!)],
      ["sgt8", (b, x) => b.icmp("sgt", x.z8!, x.u8!)], ["uge8", (b, x) => b.icmp("uge", x.z8!, x.u8!)],
      ["s16", (b, x) => tr(b, x.s!, i16)], ["add16", (b, x) => b.add(x.s16!, tr(b, x.y!, i16))], ["mul16", (b, x) => b.mul(x.s16!, x.s16!)],
      ["sext16", (b, x) => b.cast("sext", x.s16!, i32)], ["sdiv16", (b, x) => b.binop("sdiv", x.s16!, tr(b, x.y!, i16))],
      ["ashr16", (b, x) => b.binop("ashr", x.s16!, constInt(i16, 15))],
      ["w32", (b, x) => tr(b, x.w!, i32)], ["x32", (b, x) => tr(b, x.x!, i32)],
      ["sdiv32", (b, x) => b.binop("sdiv", x.w32!, constInt(i32, 2))], ["srem32", (b, x) => b.binop("srem", x.x32!, constInt(i32, 2))],
      ["lshr32", (b, x) => b.binop("lshr", x.x32!, constInt(i32, 4))], ["ashr32", (b, x) => b.binop("ashr", x.x32!, constInt(i32, 4))],
      ["add32", (b, x) => b.add(x.w32!, x.w32!)], ["mul32", (b, x) => b.mul(x.w32!, constInt(i32, 2))],
      ["slt32", (b, x) => b.icmp("slt", x.w32!, constInt(i32, 0))], ["ult32", (b, x) => b.icmp("ult", x.w32!, constInt(i32, 0))],
      ["sext32", (b, x) => b.cast("sext", x.w32!, i64)], ["tr1", (b, x) => tr(b, x.x32!, i1)],
      ["sdiv64", (b, x) => b.binop("sdiv", x.x!, x.y!)], ["srem64", (b, x) => b.binop("srem", x.x!, x.y!)], ["udiv64", (b, x) => b.binop("udiv", x.x!, x.y!)],
      ["ashr64", (b, x) => b.binop("ashr", x.x!, constInt(i64, 1))], ["lshr64", (b, x) => b.binop("lshr", x.x!, constInt(i64, 1))],
      ["shl64", (b, x) => b.binop("shl", x.x!, constInt(i64, 63))], ["mul64", (b, x) => b.mul(x.x!, x.x!)],
      ["sle64", (b, x) => b.icmp("sle", x.x!, x.y!)], ["ule64", (b, x) => b.icmp("ule", x.x!, x.y!)],
      ["sel64", (b, x) => b.select(b.icmp("slt", x.x!, x.y!), x.x!, x.y!)],
      ["eq1", (b, x) => b.binop("xor", b.icmp("eq", x.x!, x.x!), constInt(i1, 1))],
      ["add1", (b, x) => b.add(x.tr1!, x.tr1!)], ["sext1", (b, x) => b.cast("sext", x.tr1!, i64)], ["zext1", (b, x) => b.cast("zext", x.tr1!, i64)],
      ["or1", (b, x) => b.binop("or", x.eq1!, x.tr1!)], ["and1", (b, x) => b.binop("and", x.eq1!, x.tr1!)],
      ["ctlz32", (b, x) => call(b, mod, "llvm.ctlz.i32", i32, [tr(b, x.u!, i32), constInt(i1, 0)])],
      ["ctlz0", (b, x) => call(b, mod, "llvm.ctlz.i32", i32, [b.binop("and", tr(b, x.u!, i32), constInt(i32, 0)), constInt(i1, 0)])],
      ["ctlz8", (b) => call(b, mod, "llvm.ctlz.i8", i8, [constInt(i8, 0x0c), constInt(i1, 1)])],
      ["cttz64", (b, x) => call(b, mod, "llvm.cttz.i64", i64, [b.binop("and", x.x!, constInt(i64, 0)), constInt(i1, 0)])],
      ["cttz16", (b, x) => call(b, mod, "llvm.cttz.i16", i16, [b.binop("shl", tr(b, x.u!, i16), constInt(i16, 10)), constInt(i1, 1)])],
      ["pop64", (b, x) => call(b, mod, "llvm.ctpop.i64", i64, [x.x!])],
      ["umax", (b, x) => call(b, mod, "llvm.umax.i64", i64, [x.x!, x.y!])], ["smax", (b, x) => call(b, mod, "llvm.smax.i64", i64, [x.x!, x.y!])],
      ["umin8", (b, x) => call(b, mod, "llvm.umin.i8", i8, [x.z8!, x.u8!])], ["smin8", (b, x) => call(b, mod, "llvm.smin.i8", i8, [x.z8!, x.u8!])],
      ["abs32", (b, x) => call(b, mod, "llvm.abs.i32", i32, [x.x32!, constInt(i1, 0)])],
      // 40 single-use adds in a row: past the nesting limit some become locals again
      ["chain", (b, x) => { let v: Value = x.x!; for (let k = 0; k < 40; k++) v = b.add(v, constInt(i64, k)); return v; }],
      ["bswap32", (b) => call(b, mod, "llvm.bswap.i32", i32, [b.add(constInt(i32, 0x11223344), constInt(i32, 0))])],
      ["fshl", (b, x) => call(b, mod, "llvm.fshl.i32", i32, [tr(b, x.z!, i32), constInt(i32, 0x9abcdef0), constInt(i32, 40)])],
      ["fshr", (b, x) => call(b, mod, "llvm.fshr.i32", i32, [tr(b, x.z!, i32), constInt(i32, 0x9abcdef0), constInt(i32, 8)])],
      // a constant expression: (ptrtoint (gep i8 @ext.counter, 8)) - (ptrtoint @ext.counter)
      ["cexpr", (b) => {
        const g = mod.getGlobal("ext.counter")!;
        const gep = new ConstantExpr(ptr, "getelementptr", [g, constInt(i64, 8)]);
        gep.elemType = i8;
        return b.sub(new ConstantExpr(i64, "ptrtoint", [gep]), new ConstantExpr(i64, "ptrtoint", [g]));
      }],
    ], (tb) => { mod = tb.m; addGlobal(tb.m, "ext.counter", i64, null, { linkage: "external" }); });
    // The i8 slots' values are z = 200 = -56 as i8, u = 3.
    checkOps(make, { x: -7n, y: 2n, z: 0xc8n, w: 0x80000000n, s: 0xffffn, u: 3n }, {
      z8: 0xc8n, u8: 3n, add8: 44n, mul8: 88n, sub8: 59n, sdiv8: -18n, srem8: -2n, udiv8: 66n, urem8: 2n,
      ashr8: -14n, lshr8: 50n, shl8: 144n, sext8: -56n, zext8: 0xc8n, slt8: 1n, ult8: 0n, sgt8: 0n, uge8: 1n,
      s16: 0xffffn, add16: 1n, mul16: 1n, sext16: 0xffffffffn, sdiv16: 0n, ashr16: 0xffffn,
      w32: 0x80000000n, x32: 0xfffffff9n, sdiv32: 0xc0000000n, srem32: 0xffffffffn, lshr32: 0x0fffffffn, ashr32: 0xffffffffn,
      add32: 0n, mul32: 0n, slt32: 1n, ult32: 0n, sext32: 0xffffffff80000000n, tr1: 1n,
      sdiv64: -3n, srem64: -1n, udiv64: 0x7ffffffffffffffcn, ashr64: -4n, lshr64: 0x7ffffffffffffffcn, shl64: 0x8000000000000000n,
      mul64: 49n, sle64: 1n, ule64: 0n, sel64: -7n, eq1: 0n, add1: 0n, sext1: -1n, zext1: 1n, or1: 1n, and1: 0n,
      ctlz32: 30n, ctlz0: 32n, ctlz8: 4n, cttz64: 64n, cttz16: 10n, pop64: 62n, umax: -7n, smax: 2n, umin8: 3n, smin8: 0xc8n,
      abs32: 7n, chain: -7n + 780n, bswap32: 0x44332211n, fshl: 0x0000c89an, fshr: 0xc89abcden, cexpr: 8n,
    }, {
      z8: 1, u8: 1, add8: 1, mul8: 1, sub8: 1, sdiv8: 1, srem8: 1, udiv8: 1, urem8: 1, ashr8: 1, lshr8: 1, shl8: 1,
      slt8: 1, ult8: 1, sgt8: 1, uge8: 1, s16: 2, add16: 2, mul16: 2, sext16: 4, sdiv16: 2, ashr16: 2, w32: 4, x32: 4,
      sdiv32: 4, srem32: 4, lshr32: 4, ashr32: 4, add32: 4, mul32: 4, slt32: 1, ult32: 1, tr1: 1, sle64: 1, ule64: 1,
      eq1: 1, add1: 1, or1: 1, and1: 1, ctlz32: 4, ctlz0: 4, ctlz8: 1, cttz16: 2, umin8: 1, smin8: 1, abs32: 4, bswap32: 4, fshl: 4, fshr: 4,
    });
  });

  test("floating point: arithmetic, fneg, all fcmp predicates with NaN, conversions, bitcasts, float, libm intrinsics", () => {
    const preds = ["false", "oeq", "ogt", "oge", "olt", "ole", "one", "ord", "ueq", "ugt", "uge", "ult", "ule", "une", "uno", "true"];
    // What each predicate says for (1.5, NaN) and (1.5, 2.0).
    const withNaN: Record<string, bigint> = {}, ordered: Record<string, bigint> = {};
    for (const p of preds) {
      withNaN[p] = p === "true" || p === "une" || p === "uno" || (p[0] === "u" && p !== "une") ? 1n : 0n;
      ordered[p] = ({ false: 0n, oeq: 0n, ogt: 0n, oge: 0n, olt: 1n, ole: 1n, one: 1n, ord: 1n, ueq: 0n, ugt: 0n, uge: 0n, ult: 1n, ule: 1n, une: 1n, uno: 0n, true: 1n } as Record<string, bigint>)[p]!;
    }
    let mod: Module;
    const call = (b: IRBuilder, name: string, ret: Type, args: Value[]) => {
      const f = mod.getFunction(name) ?? addFunction(mod, name, functionType(ret, args.map((a) => a.type)));
      return b.call(f, args);
    };
    const make = () => opsTrace("fp", [["a", f64], ["n", f64], ["c", f64], ["d", f64], ["big", i64], ["m3", i64]], [
      ["fadd", (b, x) => b.binop("fadd", x.a!, x.d!)], ["fsub", (b, x) => b.binop("fsub", x.a!, x.d!)],
      ["fmul", (b, x) => b.binop("fmul", x.a!, x.d!)], ["fdiv", (b, x) => b.binop("fdiv", x.a!, x.d!)],
      ["frem", (b, x) => b.binop("frem", x.fadd!, x.d!)],
      ["negc", (b, x) => b.cast("fneg", x.c!, f64)], ["negn", (b, x) => b.cast("fneg", x.n!, f64)], ["nega", (b, x) => b.cast("fneg", x.a!, f64)],
      ...preds.map((p) => [`n_${p}`, (b: IRBuilder, x: Record<string, Value>) => b.fcmp(p, x.a!, x.n!)] as [string, OpFn]),
      ...preds.map((p) => [`o_${p}`, (b: IRBuilder, x: Record<string, Value>) => b.fcmp(p, x.a!, x.d!)] as [string, OpFn]),
      ["zeq", (b, x) => b.fcmp("oeq", x.c!, ConstantFP.of(f64, 0))], ["zne", (b, x) => b.fcmp("une", x.c!, ConstantFP.of(f64, 0))],
      ["sitofp", (b, x) => b.cast("sitofp", x.m3!, f64)], ["uitofp", (b, x) => b.cast("uitofp", x.big!, f64)],
      ["uitofpmax", (b, x) => b.cast("uitofp", b.binop("or", x.big!, constInt(i64, -1)), f64)],
      ["uitofp32", (b, x) => b.cast("uitofp", b.cast("trunc", b.binop("or", x.big!, constInt(i64, -1)), i32), f64)],
      ["sitofp32", (b, x) => b.cast("sitofp", b.cast("trunc", b.binop("or", x.big!, constInt(i64, -1)), i32), f64)],
      ["fptosi", (b, x) => b.cast("fptosi", b.binop("fsub", x.a!, ConstantFP.of(f64, 5.25)), i64)],
      ["fptosi32", (b, x) => b.cast("fptosi", b.binop("fsub", x.a!, ConstantFP.of(f64, 5.25)), i32)],
      ["fptoui", (b, x) => b.cast("fptoui", b.binop("fadd", x.c!, ConstantFP.of(f64, 18e18)), i64)],
      ["bc", (b, x) => b.cast("bitcast", x.a!, i64)],
      ["bc2", (b, x) => b.binop("fadd", b.cast("bitcast", b.add(x.big!, constInt(i64, 0x4000000000000800n)), f64), x.a!)],
      ["sel", (b, x) => b.select(b.fcmp("olt", x.a!, x.d!), x.n!, x.a!)],
      ["f1", (b, x) => b.cast("fptrunc", x.a!, f32)],
      ["fsum", (b, x) => b.binop("fadd", x.f1!, ConstantFP.of(f32, 0.1))],
      ["fext", (b, x) => b.cast("fpext", x.fsum!, f64)],
      ["fbits", (b, x) => b.cast("bitcast", x.fsum!, i32)],
      ["floor", (b, x) => call(b, "llvm.floor.f64", f64, [x.nega!])],
      ["fabs", (b, x) => call(b, "llvm.fabs.f64", f64, [x.c!])],
      ["fabsn", (b, x) => call(b, "llvm.fabs.f64", f64, [x.negn!])],
      ["sqrt", (b, x) => call(b, "llvm.sqrt.f64", f64, [x.d!])],
      ["ceilf", (b, x) => call(b, "llvm.ceil.f32", f32, [x.f1!])],
    ], (tb) => { mod = tb.m; });
    const expected: Record<string, bigint> = {
      fadd: dbits(3.5), fsub: dbits(-0.5), fmul: dbits(3), fdiv: dbits(0.75), frem: dbits(1.5),
      negc: 0n, negn: 0xfff8000000000000n, nega: dbits(-1.5),
      zeq: 1n, zne: 0n, sitofp: dbits(-3), uitofp: dbits(2 ** 64 - 2048), uitofpmax: dbits(2 ** 64),
      uitofp32: dbits(4294967295), sitofp32: dbits(-1), fptosi: -3n, fptosi32: 0xfffffffdn, fptoui: 18000000000000000000n,
      bc: dbits(1.5), bc2: dbits(3.5), sel: 0x7ff8000000000000n,
      f1: fbits(1.5), fsum: fbits(Math.fround(Math.fround(1.5) + Math.fround(0.1))), fext: dbits(Math.fround(Math.fround(1.5) + Math.fround(0.1))),
      fbits: fbits(Math.fround(Math.fround(1.5) + Math.fround(0.1))),
      floor: dbits(-2), fabs: 0n, fabsn: 0x7ff8000000000000n, sqrt: dbits(Math.SQRT2), ceilf: fbits(2),
    };
    const widths: Record<string, number> = { zeq: 1, zne: 1, fptosi32: 4, f1: 4, fsum: 4, fbits: 4, ceilf: 4 };
    for (const p of preds) {
      expected[`n_${p}`] = withNaN[p]!; expected[`o_${p}`] = ordered[p]!;
      widths[`n_${p}`] = 1; widths[`o_${p}`] = 1;
    }
    // big: 2^64 - 2048 (53 significant bits), bc2's bitcast input: big + 0x4000000000000800 = 0x4000000000000000 (2.0)
    checkOps(make, { a: dbits(1.5), n: 0x7ff8000000000000n, c: dbits(-0), d: dbits(2), big: 0xfffffffffffff800n, m3: -3n }, expected, widths);
  });

  test("getelementptr over a named struct, arrays and a sign-extended i32 index; allocas; memcpy and memset", () => {
    let S: ReturnType<typeof addNamedStruct>;
    let mod: Module;
    const call = (b: IRBuilder, name: string, ret: Type, args: Value[]) => {
      const f = mod.getFunction(name) ?? addFunction(mod, name, functionType(ret, args.map((a) => a.type)));
      return b.call(f, args);
    };
    // %S = { i8, i32, [3 x i16], ptr, double }: offsets 0, 4, 8, 16, 24, size 32.
    const make = () => opsTrace("gep", [["p", ptr], ["k", i64], ["j", i32]], [
      ["f2", (b, x) => b.sub(b.cast("ptrtoint", b.gep(S, x.p!, [constInt(i64, 1), constInt(i32, 2), x.k!]), i64), b.cast("ptrtoint", x.p!, i64))],
      ["fj", (b, x) => b.sub(b.cast("ptrtoint", b.gep(S, x.p!, [x.j!, constInt(i32, 4)]), i64), b.cast("ptrtoint", x.p!, i64))],
      ["arr", (b, x) => b.sub(b.cast("ptrtoint", b.gep(arrayType(5, S), x.p!, [constInt(i64, 0), x.k!, constInt(i32, 3)]), i64), b.cast("ptrtoint", x.p!, i64))],
      ["lit", (b, x) => b.sub(b.cast("ptrtoint", b.gep(structType([i8, i64]), x.p!, [constInt(i64, 2), constInt(i32, 1)]), i64), b.cast("ptrtoint", x.p!, i64))],
      // a slot of a local struct: store through one gep, load through another
      ["alloca", (b, x) => {
        const entry = b; void entry;
        const a = new Instruction("alloca", ptr, [], null);
        a.elemType = S;
        a.align = 8;
        const fnEntry = (x.p as Instruction).parent!;
        fnEntry.instructions.splice(0, 0, a);
        a.parent = fnEntry;
        call(b, "llvm.memset.p0.i64", voidType, [a, constInt(i8, 0xab), constInt(i64, 32), constInt(i1, 0)]);
        b.store(x.k!, b.gep(S, a, [constInt(i64, 0), constInt(i32, 4)]));
        const tmp = b.load(i64, b.gep(S, a, [constInt(i64, 0), constInt(i32, 4)]));
        b.store(tmp, b.gep(S, a, [constInt(i64, 0), constInt(i32, 3)]));
        call(b, "llvm.memcpy.p0.p0.i64", voidType, [b.gep(i8, a, [constInt(i64, 8)]), b.gep(i8, a, [constInt(i64, 16)]), constInt(i64, 8), constInt(i1, 0)]);
        return b.load(i64, b.gep(S, a, [constInt(i64, 0), constInt(i32, 2)]));
      }],
      // a load whose slot is stored to before its one use: it must read the old value
      ["alias", (b, x) => {
        const a = new Instruction("alloca", ptr, [], null);
        a.elemType = i64;
        a.align = 8;
        const fnEntry = (x.p as Instruction).parent!;
        fnEntry.instructions.splice(0, 0, a);
        a.parent = fnEntry;
        b.store(x.k!, a);
        const old = b.load(i64, a);
        b.store(constInt(i64, 99), a);
        return b.add(old, b.load(i64, a));
      }],
      ["align", (b, x) => {
        const a = new Instruction("alloca", ptr, [], null);
        a.elemType = arrayType(3, i8);
        a.align = 16;
        const fnEntry = (x.p as Instruction).parent!;
        fnEntry.instructions.splice(0, 0, a);
        a.parent = fnEntry;
        return b.binop("and", b.cast("ptrtoint", a, i64), constInt(i64, 15));
      }],
    ], (tb) => { mod = tb.m; S = addNamedStruct(tb.m, "S", [i8, i32, arrayType(3, i16), ptr, f64]); });
    checkOps(make, { p: 0x100000n, k: -1n, j: 0xffffffffn }, {
      f2: 32n + 8n - 2n, fj: -32n + 24n, arr: -32n + 16n, lit: 32n + 8n, alloca: -1n, alias: 98n, align: 0n,
    });
  });

  test("calls: a dotted external name, a signext i8 argument, doubles, a variadic libc call, an indirect call", () => {
    let mod: Module;
    const make = () => opsTrace("calls", [["a", i64], ["b", i64], ["c", i64], ["d", f64], ["fp", ptr]], [
      ["add3", (b, x) => b.call(mod.getFunction("ext.add3")!, [x.a!, x.b!, x.c!])],
      ["sc", (b, x) => {
        const i = b.call(mod.getFunction("ext.sc")!, [b.cast("trunc", x.c!, i8)]);
        i.argAttrs = [[{ kind: "signext" }]];
        return b.cast("sext", i, i64);
      }],
      ["scale", (b, x) => b.call(mod.getFunction("ext.scale")!, [x.d!, x.b!])],
      // snprintf(buf, 32, "%d|%.2f", i32 7, double d) into an alloca, its first 8 bytes stored.
      ["snprintf", (b, x) => {
        const a = new Instruction("alloca", ptr, [], null);
        a.elemType = arrayType(32, i8);
        a.align = 16;
        const fnEntry = (x.fp as Instruction).parent!;
        fnEntry.instructions.splice(0, 0, a);
        a.parent = fnEntry;
        const fmt = mod.getGlobal("ext.fmt")!;
        b.call(mod.getFunction("snprintf")!, [a, constInt(i64, 32), fmt, constInt(i32, 7), x.d!]);
        return b.load(i64, a);
      }],
      // an indirect call through a pointer loaded from the live struct (ext.add3's address, stored there below)
      ["indirect", (b, x) => b.call(x.fp!, [x.c!, x.b!, x.a!], { fnType: functionType(i64, [i64, i64, i64]) })],
    ], (tb) => {
      mod = tb.m;
      addFunction(tb.m, "ext.add3", functionType(i64, [i64, i64, i64]));
      addFunction(tb.m, "ext.sc", functionType(i32, [i8]));
      addFunction(tb.m, "ext.scale", functionType(f64, [f64, i64]));
      addFunction(tb.m, "snprintf", functionType(i32, [ptr, i64, ptr], true));
      addGlobal(tb.m, "ext.fmt", arrayType(8, i8), null, { linkage: "external" });
    });
    // The function pointer: the trace stores ext.add3's address first (a store of the global into fp's slot in entry).
    const withFp = () => {
      const r = make();
      const fnEntry = r.t.fn.blocks[0]!;
      const f = r.t.module.getFunction("ext.add3")!;
      const b = new IRBuilder().beforeInst(fnEntry.instructions.find((i) => i.opcode === "load" && i.type.kind === "ptr")!);
      b.store(f, b.gep(i8, r.t.fn.args[0]!, [constInt(i64, r.inOff.get("fp")!)]));
      return r;
    };
    const text = Buffer.from("7|2.50\0\0").readBigUInt64LE(0);
    checkOps(withFp, { a: 1n, b: 2n, c: 0xffn, d: dbits(2.5) }, {
      add3: 100n + 20n + 255n, sc: -1n, scale: dbits(5), snprintf: text, indirect: 25500n + 20n + 1n,
    }, { snprintf: 7 });
  });

  test("a side trace in S_side is called with the live struct and the guard's values; a restart reloads the live values", () => {
    const t = countingLoop("sidehit");
    const so = compileC(t);
    // First call: n=5 → the guard fails at i=5, the side trace stores n=8 and restarts;
    // the trace reloads (i is 0 again in the live struct) and fails at i=8, the side trace returns 77.
    const r = run(so, "sidehit", t.liveSize, [set(16, 5), set(24, 0), set(32, 0xabcdefn), "side:0:3:restart:16:8:77", "call"]);
    expect(r.sides).toEqual([
      { g: 0, n: 1, live: true, args: [5n, 5n, 0xabcdefn] },
      { g: 0, n: 2, live: true, args: [8n, 8n, 0xabcdefn] },
    ]);
    expect(r.deopts).toEqual([]);
    expect(r.ret).toBe(77n);
    // The LLVM tier does the same.
    const l = run(compileLLVM(countingLoop("sidehit")), "sidehit", t.liveSize, [set(16, 5), set(24, 0), set(32, 0xabcdefn), "side:0:3:restart:16:8:77", "call"]);
    expect(l.sides).toEqual(r.sides);
    expect(l.ret).toBe(77n);
    expect(l.live).toEqual(r.live);
  });

  test("a side trace: its parameters (i1 masked), its guard's own side trace is returned from as is, its body stores and returns -2", () => {
    // i64 @side(ptr %live, i64 %in0, i1 %in1): guard in1 (deopt values in0, in1), store in0 * 2 at live+16, ret -2.
    const make = () => {
      const tb = new TB("sidet", [i64], { params: [i64, i1] });
      const b = tb.inLoop();
      const [in0, in1] = [tb.fn.args[1]!, tb.fn.args[2]!];
      tb.guard(in1, [in0, in1]);
      b.store(b.mul(in0, constInt(i64, 2)), tb.livePtr(16));
      return tb.finish({ ret: SIDE_RESTART });
    };
    const callArgs = (a: bigint, c: bigint) => `callargs:${a.toString(16)}:${c.toString(16)}`;
    const t = make();
    const so = compileC(t);
    const ok = run(so, "sidet", t.liveSize, [callArgs(21n, 1n)]);
    expect(ok.ret).toBe(-2n);
    expect(u64At(ok.live, 16)).toBe(42n);
    // i1 in a byte whose bit 0 is clear, garbage above it (LLVM callers may pass that): false
    const fail = run(so, "sidet", t.liveSize, [callArgs(21n, 0xfen)]);
    expect(fail.ret).toBe(1000n);
    expect(fail.deopts).toEqual([{ owner: true, guard: 0, values: [21n, 0n] }]);
    expect(u64At(fail.live, 16)).toBe(0n);
    // Its own side trace's -2 is returned, not a reload.
    const side = run(so, "sidet", t.liveSize, ["side:0:2:ret:-2", callArgs(21n, 0n)]);
    expect(side.sides).toEqual([{ g: 0, n: 1, live: true, args: [21n, 0n] }]);
    expect(side.ret).toBe(-2n);
    expect(u64At(side.live, 16)).toBe(0n);
    const l = run(compileLLVM(make()), "sidet", t.liveSize, [callArgs(21n, 1n)]);
    expect(l.ret).toBe(-2n);
    expect(l.live).toEqual(ok.live);
  });

  test("entry checks: a failed one returns the site before the loop runs", () => {
    const make = () => {
      const tb = new TB("checks", [i64, i64]);
      const ok = tb.b.icmp("eq", tb.loads[0]!, constInt(i64, 7));
      const ok2 = tb.b.icmp("ult", tb.loads[1]!, constInt(i64, 100));
      const i = tb.phi(tb.loads[1]!);
      const b = tb.inLoop();
      const inc = b.add(i, constInt(i64, 1));
      b.store(inc, tb.livePtr(24));
      tb.guard(b.icmp("ult", inc, constInt(i64, 10)), [inc]);
      return tb.finish({ backs: [inc], site: 3, entryChecks: [ok, ok2] });
    };
    const t = make();
    const so = compileC(t);
    const pass = run(so, "checks", t.liveSize, [set(16, 7), set(24, 0), "call"]);
    expect(pass.ret).toBe(1000n);
    expect(pass.deopts).toEqual([{ owner: true, guard: 0, values: [10n] }]);
    expect(u64At(pass.live, 24)).toBe(10n);
    const bail = run(so, "checks", t.liveSize, [set(16, 8), set(24, 0), "call"]);
    expect(bail.ret).toBe(3n);
    expect(bail.deopts).toEqual([]);
    expect(u64At(bail.live, 24)).toBe(0n);
    const bail2 = run(so, "checks", t.liveSize, [set(16, 7), set(24, 100), "call"]);
    expect(bail2.ret).toBe(3n);
    const so2 = compileLLVM(make());
    expect(run(so2, "checks", t.liveSize, [set(16, 8), set(24, 0), "call"]).ret).toBe(3n);
    expect(run(so2, "checks", t.liveSize, [set(16, 7), set(24, 0), "call"]).live).toEqual(pass.live);
  });

  test("the back edge is a parallel copy: phis that swap", () => {
    // b, a = a + b, b (Fibonacci, the phi of b first) and x, y = y, x until a >= 50; guard values a, b, x, y.
    const make = () => {
      const tb = new TB("fib", [i64, i64, i64, i64]);
      const [b0, a, x, y] = tb.loads.map((l) => tb.phi(l)) as [Instruction, Instruction, Instruction, Instruction];
      const b = tb.inLoop();
      const sum = b.add(a, b0);
      tb.guard(b.icmp("ult", a, constInt(i64, 50)), [a, b0, x, y]);
      return tb.finish({ backs: [sum, b0, y, x] });
    };
    const t = make();
    // a: 0 1 1 2 3 5 8 13 21 34 55: 10 iterations, x and y swapped 10 times
    const r = run(compileC(t), "fib", t.liveSize, [set(16, 1), set(24, 0), set(32, 7), set(40, 9), "call"]);
    expect(r.deopts).toEqual([{ owner: true, guard: 0, values: [55n, 89n, 7n, 9n] }]);
    const r2 = run(compileC(make()), "fib", t.liveSize, [set(16, 1), set(24, 1), set(32, 7), set(40, 9), "call"]);
    // a: 1 1 2 ... 55: 9 iterations
    expect(r2.deopts).toEqual([{ owner: true, guard: 0, values: [55n, 89n, 9n, 7n] }]);
  });

  test("several guards, i1 and double deopt values, a guard with no values", () => {
    const make = () => {
      const tb = new TB("multi", [i64, f64]);
      const [n, d] = tb.loads as [Instruction, Instruction];
      const i = tb.phi(constInt(i64, 0));
      const b = tb.inLoop();
      const inc = b.add(i, constInt(i64, 1));
      const small = b.icmp("ult", inc, constInt(i64, 3));
      const dd = b.binop("fmul", d, b.cast("sitofp", inc, f64));
      tb.guard(b.icmp("ne", inc, constInt(i64, 1000)), []);
      tb.guard(b.icmp("ne", inc, n), [inc, small, dd, b.cast("fptrunc", dd, f32), poison(i64)]);
      return tb.finish({ backs: [inc] });
    };
    const t = make();
    const r = run(compileC(t), "multi", t.liveSize, [set(16, 4), set(24, dbits(0.5)), "call"]);
    expect(r.ret).toBe(1001n);
    expect(r.deopts).toEqual([{ owner: true, guard: 1, values: [4n, 0n, dbits(2), fbits(2), 0n] }]);
    const r2 = run(compileC(make()), "multi", t.liveSize, [set(16, 2000), set(24, dbits(0.5)), "call"]);
    expect(r2.deopts).toEqual([{ owner: true, guard: 0, values: [] }]);
  });

  test("the upgrade check polls the runtime every 2^14 iterations and fails once the trace was upgraded", () => {
    // As the builder makes it for tier auto: the loop starts with guard(@ykts.upgrade_check()) carrying the phis.
    const make = () => {
      const tb = new TB("upg", [i64, i64]);
      const [n, i] = tb.loads.map((l) => tb.phi(l)) as [Instruction, Instruction];
      const b = tb.inLoop();
      const check = addFunction(tb.m, UPGRADE_CHECK_FN, functionType(i1, []));
      tb.guard(b.call(check, []), [n, i]);
      const inc = b.add(i, constInt(i64, 1));
      tb.guard(b.icmp("ne", inc, n), [inc]);
      const t = tb.finish({ backs: [n, inc] });
      t.upgradeGuard = 0;
      return t;
    };
    const t = make();
    const so = compileC(t);
    // Upgraded at the second poll: iteration 2 * 2^14, where i = 2^15 - 1.
    const up = run(so, "upg", t.liveSize, [set(16, 100000), set(24, 0), "poll:2", "call"]);
    expect(up.polls).toEqual([{ owner: true, n: 1 }, { owner: true, n: 2 }]);
    expect(up.deopts).toEqual([{ owner: true, guard: 0, values: [100000n, 32767n] }]);
    expect(up.ret).toBe(1000n);
    // Never upgraded: the exit guard after 100000 iterations, six polls on the way.
    const no = run(so, "upg", t.liveSize, [set(16, 100000), set(24, 0), "call"]);
    expect(no.polls.length).toBe(6);
    expect(no.deopts).toEqual([{ owner: true, guard: 1, values: [100000n] }]);
    // The LLVM tier's check is true (dropUpgradeCheck), as the C tier's is between polls.
    const l = make();
    dropUpgradeCheck(l);
    const lr = run(compileLLVM(l), "upg", t.liveSize, [set(16, 100000), set(24, 0), "poll:1", "call"]);
    expect(lr.polls).toEqual([]);
    expect(lr.llvmDeopts).toEqual([1]);
  });

  test("declines what it does not translate, naming the instruction", () => {
    const decline = (what: RegExp, build: (tb: TB, b: IRBuilder) => void) => {
      const tb = new TB("no", [i64]);
      const b = tb.inLoop();
      build(tb, b);
      tb.guard(constInt(i1, 0), []);
      const t = tb.finish({ backs: [] });
      expect(() => emitC(t)).toThrow(CodegenError);
      expect(() => emitC(t)).toThrow(what);
    };
    decline(/i128 is not supported \(zext/, (tb, b) => { b.add(b.cast("zext", tb.loads[0]!, intType(128)), constInt(intType(128), 1)); });
    decline(/with\.overflow/, (tb, b) => {
      const f = addFunction(tb.m, "llvm.sadd.with.overflow.i64", functionType(structType([i64, i1]), [i64, i64]));
      const r = b.call(f, [tb.loads[0]!, tb.loads[0]!]);
      const e = new Instruction("extractvalue", i64, [r], null);
      e.indices = [0];
      b.insert(e);
    });
    decline(/atomic/, (tb, b) => { const l = b.load(i64, tb.livePtr(16)); l.ordering = "seq_cst"; l.flags = ["atomic"]; });
    decline(/thread-local/, (tb, b) => { const g = addGlobal(tb.m, "tls", i64, null); g.threadLocal = "thread_local"; b.load(i64, g); });
    decline(/<2 x i64>/, (tb, b) => { b.load(vectorType(2, i64), tb.livePtr(16)); });
    decline(/intrinsic llvm\.frobnicate/, (tb, b) => { b.call(addFunction(tb.m, "llvm.frobnicate.i64", functionType(i64, [i64])), [tb.loads[0]!]); });
    decline(/fastcc/, (tb, b) => { const f = addFunction(tb.m, "fast", functionType(i64, [i64])); f.cconv = "fastcc"; b.call(f, [tb.loads[0]!]); });
    decline(/pseudo function @ykts\.frob/, (tb, b) => { b.call(addFunction(tb.m, "ykts.frob", functionType(i64, [])), []); });
    decline(/byval/, (tb, b) => { const c = b.call(addFunction(tb.m, "bv", functionType(voidType, [ptr])), [tb.livePtr(16)]); c.argAttrs = [[{ kind: "byval", type: i64 }]]; });
  });
});
