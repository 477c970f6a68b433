// Running a trace with the reference evaluator (src/ykir/eval.ts), and
// choosing inputs that take it past its guards (docs/traces.md, "The
// reference evaluator").
//
// evalTrace runs the trace function on a live struct at LIVE_ADDR in a
// simulated memory (src/ykir/eval-memory.ts) for at most `maxIterations`
// loop iterations or until a guard fails, and reports the outcome (the
// failing guard, named by what it checks and its frames, not by its number,
// which fold-guards changes; the iteration; its deopt values), the memory
// it wrote, the external calls it made. The entry checks of a derived trace
// (Trace.entryChecks) are checked on entering the loop: when one fails the
// trace does nothing, as the compiled trace does (docs/traces.md §5).
//
// steerInputs starts from an input and, each time a guard (or entry check)
// fails, changes the input so that the failing condition holds: when the
// condition is a compare whose operand is, through a few invertible
// operations (casts, and/or/xor/add/sub with constants, lshr), the value
// of a load of bytes the trace did not write, the input gets those bytes.
// Each input of the sequence fails later than the one before; the last
// runs all iterations or fails a guard it cannot steer. Any input is a
// valid input: steering only decides how far into the trace the inputs go.
import type { BasicBlock, Instruction, Type, Value } from "../ykir/index.js";
import { Constant, ConstantInt, Function as YFunction, Instruction as YInstruction, IntType, PtrType } from "../ykir/index.js";
import {
  EvalFuel, EvalUndefined, EvalUnsupported, Evaluator, encode, intBits, showValue,
  type EvalFrame, type ExternalModel, type RtValue,
} from "../ykir/eval.js";
import { SimMemory, POOL_BASE, bigintOfBytes, bytesOfBigint, mix32, type MemOverride } from "../ykir/eval-memory.js";
import { GUARD_FN, UPGRADE_CHECK_FN, guardId, guardStores, guardValues, type Trace } from "./trace.js";

export const LIVE_ADDR = 0x1000_0000n;
/** Where the live struct's pointers point in a "wide" input (each its own 4 GB). */
export const LIVE_POINTEE_BASE = 0x2000_0000_0000n;
export const ALLOCA_BASE = 0x3000_0000_0000n;

export interface TraceInput {
  seed: number;
  mode: "wide" | "pool";
  /** Bytes the input gives (the live struct among them), by epoch. */
  overrides: MemOverride[];
  /** A side trace's parameters after the live struct. */
  args?: RtValue[];
}

export type TraceOutcome =
  /** deopt: the resume buffers' slots as the runtime fills them (resumeBuffers). */
  | { kind: "guard"; guard: string; iteration: number; deopt: string[] }
  | { kind: "iterations"; iterations: number }
  | { kind: "entry-check"; check: number }
  | { kind: "return"; value: string }
  | { kind: "unsupported" | "undefined" | "fuel"; message: string; iteration: number };

export interface TraceResult {
  outcome: TraceOutcome;
  /** Bytes written in the last epoch (src/ykir/eval-memory.ts `effects`), and the epoch and its seed. */
  memory: string[];
  epoch: number;
  memSeed: number;
  calls: string[];
  /** Broken nsw/nuw/exact promises (not compared: a pass may fold them away). */
  poison: number;
  steps: number;
  /** For steering: the failing condition, the frame, the guard's id and place. */
  failure?: { cond: Value; frame: EvalFrame; ev: Evaluator; iteration: number; index: number; id?: number };
}

export interface EvalTraceOptions {
  maxIterations?: number;
  /** Models of the functions the trace calls (undefined: the evaluation stops, "unsupported"). */
  externals?: (name: string, fn: YFunction | null) => ExternalModel | undefined;
  fuel?: number;
  /** Alloca addresses, shared by the runs that are compared (same alloca, same address). */
  allocas?: AllocaAddresses;
}

/** Gives each alloca an address of its own, kept across runs and passes. */
export class AllocaAddresses {
  private at = new WeakMap<Instruction, bigint>();
  private next = ALLOCA_BASE;
  get(i: Instruction, size: number): bigint {
    let a = this.at.get(i);
    if (a === undefined) {
      a = this.next;
      this.next += BigInt(Math.ceil((size + 64) / 4096) * 4096);
      this.at.set(i, a);
    }
    return a;
  }
}

class GuardFail { constructor(readonly call: Instruction, readonly frame: EvalFrame) {} }

/** What a guard is, independent of its number: what it checks and where its frames resume. */
export function guardKey(t: Trace, id: number): string {
  const g = t.guards[id];
  if (!g) return `guard ${id} (no frames)`;
  return `${g.what} | ${g.frames.map((f) => `${f.fn}@${f.kind}${f.resumePoint}`).join(" > ")}`;
}

/** The input the live struct gets by default: pointers to regions of their own (or into the pool), small integers. */
export function liveInput(t: Trace, seed: number, mode: "wide" | "pool" = "wide"): TraceInput {
  const bytes = new Uint8Array(t.liveSize);
  const overrides: MemOverride[] = [{ epoch: 0, addr: LIVE_ADDR, bytes }];
  t.liveTypes.forEach((ty, k) => {
    const h = mix32(seed, k);
    let v: RtValue;
    if (ty instanceof PtrType) v = mode === "wide" ? LIVE_POINTEE_BASE + (BigInt(k) << 32n) : POOL_BASE + BigInt((h % 64) * 8);
    else if (ty instanceof IntType) v = BigInt(h % 8);
    else if (ty.isFloatingPoint()) v = (h % 16) / 4;
    else return;
    try { bytes.set(encode(ty, v), t.liveOffsets[k]!); } catch { /* a type the evaluator has no memory form for: default bytes */ }
  });
  const args = t.side ? t.fn.args.slice(1).map((a, k) => (a.type.isFloatingPoint() ? 1 : a.type instanceof PtrType ? LIVE_POINTEE_BASE + (BigInt(k + 64) << 32n) : BigInt(mix32(seed, 100 + k) % 8))) : undefined;
  return { seed, mode, overrides, args };
}

export function evalTrace(t: Trace, input: TraceInput, o: EvalTraceOptions = {}): TraceResult {
  const max = o.maxIterations ?? 3;
  const mem = new SimMemory(input.seed, input.mode, input.overrides);
  mem.preserved.push({ addr: LIVE_ADDR, size: t.liveSize });
  const allocas = o.allocas ?? new AllocaAddresses();
  // Nothing reads promote-slots' scratch word: what it holds is no effect.
  if (t.promotedScratch) mem.ignored.push({ addr: allocas.get(t.promotedScratch, 8), size: 8 });
  const loop = t.fn.blocks[1]!;
  let iteration = 0;
  let failure: TraceResult["failure"];
  const storeValue = (v: Value, addr: RtValue, x: RtValue) => mem.write(addr as bigint, encode(v.type, x));
  const ev = new Evaluator(mem, {
    externals: o.externals,
    fuel: o.fuel,
    allocaAddress: (i, size) => allocas.get(i, size),
    intercept: (call, args, frame) => {
      const c = call.callee;
      if (!(c instanceof YFunction)) return undefined;
      if (c.name === GUARD_FN) {
        if (!args[0]) {
          // The exit's stores (promote-slots) come before anything else there.
          const st = guardStores(call);
          for (let k = 0; k < st.length; k += 2) storeValue(st[k + 1]!, ev.value(frame, st[k]!), ev.value(frame, st[k + 1]!));
          throw new GuardFail(call, frame);
        }
        return { value: undefined };
      }
      if (c.name === UPGRADE_CHECK_FN) return { value: 1n };
      return undefined;
    },
  });
  const index = (i: Instruction) => loop.instructions.indexOf(i);
  let outcome: TraceOutcome;
  try {
    const r = ev.runFunction(t.fn, [LIVE_ADDR, ...(input.args ?? [])], (to: BasicBlock, from: BasicBlock | null, f: EvalFrame) => {
      if (to !== loop) return;
      if (from === loop) {
        iteration++;
        if (iteration >= max) {
          // Stopped at the top: the slots promote-slots keeps in registers hold their phis' values from the loop.
          for (const p of t.promoted ?? []) {
            const v = p.phi.operands[p.phi.blocks.indexOf(loop)]!;
            storeValue(v, ev.value(f, p.addr), ev.value(f, v));
          }
          return "stop";
        }
        return;
      }
      const checks = t.entryChecks ?? [];
      for (let k = 0; k < checks.length; k++) {
        if (!f.env.get(checks[k]!)) {
          outcome = { kind: "entry-check", check: k };
          failure = { cond: checks[k]!, frame: f, ev, iteration: -1, index: -1 };
          return "stop";
        }
      }
    });
    outcome ??= r === "stopped" ? { kind: "iterations", iterations: iteration }
      : { kind: "return", value: r.value === undefined ? "void" : showValue(t.fn.fnType.ret, r.value) };
  } catch (e) {
    if (e instanceof GuardFail) {
      const id = guardId(e.call);
      const deopt = resumeBuffers(t, id, guardValues(e.call).map((v) => [v.type, ev.value(e.frame, v)] as const), mem);
      outcome = { kind: "guard", guard: guardKey(t, id), iteration, deopt };
      failure = { cond: e.call.operands[0]!, frame: e.frame, ev, iteration, index: index(e.call), id };
    } else if (e instanceof EvalUnsupported) outcome = { kind: "unsupported", message: e.message, iteration };
    else if (e instanceof EvalUndefined) outcome = { kind: "undefined", message: e.message, iteration };
    else if (e instanceof EvalFuel) outcome = { kind: "fuel", message: e.message, iteration };
    else throw e;
  }
  return { outcome: outcome!, memory: mem.effects(), epoch: mem.epoch, memSeed: mem.seed, calls: ev.calls, poison: ev.poison, steps: ev.steps, failure };
}

/**
 * What the runtime writes into the resume buffers of guard `id` when it
 * fails with these deopt values (docs/traces.md §3: slots from the bundle,
 * the live struct, a constant, or another slot plus an offset): one line
 * per slot, `fn@kind<point> +offset: 0x<bytes, little-endian>`.
 */
export function resumeBuffers(t: Trace, id: number, bundle: (readonly [Type, RtValue])[], mem: SimMemory): string[] {
  const g = t.guards[id];
  if (!g) throw new EvalUnsupported(`guard ${id} has no frames`);
  const out: string[] = [];
  let next = 0;
  for (const f of g.frames) {
    const buf = new Uint8Array(Math.max(f.bufSize, 16));
    const put = (off: number, size: number, bytes: Uint8Array) => {
      const b = new Uint8Array(size);
      b.set(bytes.subarray(0, size));
      buf.set(b, off);
    };
    for (const s of f.slots) {
      if (s.source === 0) {
        const [ty, v] = bundle[next++] ?? (() => { throw new EvalUnsupported(`guard ${id}: fewer deopt values than source-0 slots`); })();
        put(s.offset, s.size, ty.isInt(1) ? new Uint8Array([Number(v)]) : encode(ty, v));
      } else if (s.source === 1) put(s.offset, s.size, mem.read(LIVE_ADDR + s.payload, s.size).bytes);
      else if (s.source === 2) put(s.offset, s.size, bytesOf64(s.payload));
    }
    for (const s of f.slots) {
      if (s.source !== 3) continue;
      const from = Number(s.payload >> 32n);
      const base = bigintOfBytes(buf.subarray(from, from + 8));
      put(s.offset, 8, bytesOf64(base + BigInt.asIntN(32, s.payload & 0xffffffffn)));
    }
    for (const s of f.slots) out.push(`${f.fn}@${f.kind}${f.resumePoint} +${s.offset}: 0x${bigintOfBytes(buf.subarray(s.offset, s.offset + s.size)).toString(16)}`);
  }
  if (next !== bundle.length) throw new EvalUnsupported(`guard ${id}: ${bundle.length} deopt values for ${next} source-0 slots`);
  return out;
}

const bytesOf64 = (v: bigint) => bytesOfBigint(BigInt.asUintN(64, v), 8);

/** What two runs of a trace must agree on (the same-behaviour check of the pass tests). */
export function observable(r: TraceResult): { outcome: TraceOutcome; memory: string[]; epoch: number; memSeed: number; calls: string[] } {
  return { outcome: r.outcome, memory: r.memory, epoch: r.epoch, memSeed: r.memSeed, calls: r.calls };
}

// ---- steering ----------------------------------------------------------------

/** How far a run got: later is larger. */
function progress(r: TraceResult): number {
  switch (r.outcome.kind) {
    case "entry-check": return -1;
    case "guard": return r.outcome.iteration * 1e6 + (r.failure?.index ?? 0);
    default: return Infinity;
  }
}

/**
 * Inputs from `start` on, each failing later than the one before (at most
 * `maxSteps` + 1 of them; the first is `start`).
 */
export function steerInputs(t: Trace, start: TraceInput, o: EvalTraceOptions = {}, maxSteps = 50): { inputs: TraceInput[]; results: TraceResult[] } {
  const inputs = [start];
  const results = [evalTrace(t, start, o)];
  for (let s = 0; s < maxSteps; s++) {
    const r = results[results.length - 1]!;
    if (!r.failure) break;
    const fix = solveCond(r.failure.cond, true, { ...r.failure.frame, ev: r.failure.ev }, r.failure.iteration);
    if (!fix) break;
    const prev = inputs[inputs.length - 1]!;
    const next: TraceInput = { ...prev, overrides: [...prev.overrides, fix] };
    const nr = evalTrace(t, next, o);
    if (progress(nr) <= progress(r)) break;
    inputs.push(next);
    results.push(nr);
  }
  return { inputs, results };
}

type SteerFrame = EvalFrame & { ev: Evaluator };

/** The value v had when the run stopped (constants evaluated), or undefined. */
const cur = (f: SteerFrame, v: Value): RtValue | undefined => {
  if (v instanceof Constant) { try { return f.ev.constant(v); } catch { return undefined; } }
  return f.env.get(v);
};

/** An override that makes the i1 value `v` be `want`, or null. */
function solveCond(v: Value, want: boolean, f: SteerFrame, iteration: number): MemOverride | null {
  if (!(v instanceof YInstruction)) return null;
  const [a, b] = v.operands;
  if (v.opcode === "xor" && b instanceof ConstantInt && b.value === 1n) return solveCond(a!, !want, f, iteration);
  if ((v.opcode === "and" || v.opcode === "or") && v.type.isInt(1)) {
    for (const x of [a!, b!]) if ((cur(f, x) === 1n) !== want) { const r = solveCond(x, want, f, iteration); if (r) return r; }
    return null;
  }
  if (v.opcode === "icmp" && !(a!.type as { isVector?: () => boolean }).isVector?.()) {
    const w = intBits(a!.type);
    const av = cur(f, a!) as bigint | undefined, bv = cur(f, b!) as bigint | undefined;
    if (av === undefined || bv === undefined) return null;
    const pred = want ? v.predicate! : negate(v.predicate!);
    const ta = target(pred, bv, w);
    if (ta !== null) { const r = solveVal(a!, ta, f, iteration); if (r) return r; }
    const tb = target(swap(pred), av, w);
    if (tb !== null) return solveVal(b!, tb, f, iteration);
    return null;
  }
  return solveVal(v, want ? 1n : 0n, f, iteration);
}

function negate(p: string): string {
  return { eq: "ne", ne: "eq", ult: "uge", uge: "ult", ugt: "ule", ule: "ugt", slt: "sge", sge: "slt", sgt: "sle", sle: "sgt" }[p] ?? p;
}
function swap(p: string): string {
  return { ult: "ugt", ugt: "ult", ule: "uge", uge: "ule", slt: "sgt", sgt: "slt", sle: "sge", sge: "sle" }[p] ?? p;
}

/** A value x with `x pred other` (in w bits), or null. */
function target(pred: string, other: bigint, w: number): bigint | null {
  const max = (1n << BigInt(w)) - 1n;
  const smax = (1n << BigInt(w - 1)) - 1n, smin = BigInt.asUintN(w, -(1n << BigInt(w - 1)));
  const so = BigInt.asIntN(w, other);
  switch (pred) {
    case "eq": return other;
    case "ne": return BigInt.asUintN(w, other + 1n);
    case "ult": return other === 0n ? null : 0n;
    case "ule": return other;
    case "ugt": return other === max ? null : other + 1n;
    case "uge": return other;
    case "slt": return so === -(1n << BigInt(w - 1)) ? null : BigInt.asUintN(w, so - 1n);
    case "sle": return other;
    case "sgt": return so === smax ? null : BigInt.asUintN(w, so + 1n);
    case "sge": return other;
  }
  void smin;
  return null;
}

/** An override that makes the integer or pointer value `v` be `want`, or null. */
function solveVal(v: Value, want: bigint, f: SteerFrame, iteration: number, depth = 0): MemOverride | null {
  if (!(v instanceof YInstruction) || depth > 12) return null;
  if (!(v.type instanceof IntType || v.type instanceof PtrType)) return null;
  const w = intBits(v.type);
  want = BigInt.asUintN(w, want);
  if (w === 1 && ["icmp", "xor", "and", "or"].includes(v.opcode)) return solveCond(v, want === 1n, f, iteration);
  const [a, b] = v.operands;
  const again = (x: Value, t: bigint) => solveVal(x, t, f, iteration, depth + 1);
  const c = b instanceof ConstantInt ? b.value : undefined;
  switch (v.opcode) {
    case "load": {
      const l = f.loads.get(v);
      if (!l || !l.initial) return null;
      return { epoch: l.epoch, addr: l.addr, bytes: encode(v.type, want) };
    }
    case "zext": return want >> BigInt(intBits(a!.type)) === 0n ? again(a!, want) : null;
    case "sext": {
      const sw = intBits(a!.type);
      return BigInt.asUintN(w, BigInt.asIntN(sw, want)) === want ? again(a!, BigInt.asUintN(sw, want)) : null;
    }
    case "trunc": {
      const x = cur(f, a!) as bigint | undefined;
      if (x === undefined) return null;
      return again(a!, (x & ~((1n << BigInt(w)) - 1n)) | want);
    }
    case "ptrtoint": case "inttoptr": case "bitcast": case "freeze": return again(a!, want);
    case "and": {
      if (c === undefined) return null;
      const x = cur(f, a!) as bigint;
      return (want & ~c) === 0n ? again(a!, (x & ~c) | want) : null;
    }
    case "or": {
      if (c === undefined) return null;
      const x = cur(f, a!) as bigint;
      return (want & c) === c ? again(a!, (want & ~c) | (x & c)) : null;
    }
    case "xor": return c === undefined ? null : again(a!, want ^ c);
    case "add": return c === undefined ? null : again(a!, want - c);
    case "sub": return c === undefined ? null : again(a!, want + c);
    case "lshr": {
      if (c === undefined) return null;
      const x = cur(f, a!) as bigint;
      return again(a!, (want << c) | (x & ((1n << c) - 1n)));
    }
    // the entry value in the first iteration, else the loop value of the one before
    case "phi": return iteration <= 0 ? again(a!, want) : solveVal(b!, want, f, iteration - 1, depth + 1);
  }
  return null;
}
