// The side table that travels with each translation unit's ykir
// (docs/retrofit-abi.md §6-7): per instrumented function, its control-point
// sites and resume points with their live values as position references into
// the unit's (uninstrumented) ykir. Also the payload format of a `.ykts_ir`
// frame: u32 n, n bytes of ykir, u32 m, m bytes of this table (binary, below).
import type { Function, Instruction, Value } from "../ykir/index.js";
import { Argument } from "../ykir/index.js";
import { frameValues } from "./resume-points.js";
import { siteDerivedValues } from "./control-point.js";
import type { FunctionAnalysis, ResumeKind } from "./resume-points.js";

/** A value by position: parameter i, or instruction i of block b. */
export type ValueRef = { arg: number } | { inst: [number, number] };

export interface SideResumePoint {
  id: number;
  kind: ResumeKind;
  /** Position of the point's instruction (the site call, terminator or call). */
  at: [number, number];
  live: ValueRef[];
}

export interface SideFunction {
  name: string;
  blocks: number;
  /** Resume points; `cp` ones first, site k having id k + 1. */
  resume: SideResumePoint[];
  /**
   * Fields of the traced clone's frame `{ [16 x i8] incoming, T0, T1, ... }`
   * (LLVM literal-struct layout): the resume buffer of every point that is
   * not a control point has this layout, and only the point's live values
   * (and, after a call, the incoming slot) need to be filled.
   */
  frame: ValueRef[];
  /**
   * Positions of the direct calls to yk_idempotent functions whose result
   * the traced clone records like a promoted value (absent: none).
   */
  idempotent?: [number, number][];
  /**
   * Address-taken blocks (computed goto), in block order: entry k of the
   * exported table `@"<name>.ykts.ba"` is the address of block
   * blockAddrs[k] (src/instrument/block-addresses.ts).
   */
  blockAddrs?: number[];
  /**
   * Address arithmetic the resume points other than control points do not
   * carry (FunctionAnalysis.derived), in definition order: a resume entry,
   * and a side trace starting at such a point, recomputes it from the
   * point's live values. Absent: none.
   */
  derived?: ValueRef[];
  /**
   * Per control-point site k, the indices into its live values of those the
   * original recomputes from the others after the runtime returns
   * (control-point.ts, siteDerivedValues): nobody reads their live-struct
   * slots, so a trace neither loads them (it recomputes them too) nor
   * stores them when it hands the live values back. Absent: none.
   */
  cpDerived?: number[][];
}

export interface SideTable {
  version: 1;
  source: string;
  unit: string;
  functions: SideFunction[];
}

export function describeFunction(a: FunctionAnalysis): SideFunction {
  const pos = new Map<Instruction, [number, number]>();
  a.fn.blocks.forEach((b, bi) => b.instructions.forEach((i, ii) => pos.set(i, [bi, ii])));
  const ref = (v: Value): ValueRef => {
    if (v instanceof Argument) return { arg: v.index };
    const p = pos.get(v as Instruction);
    if (!p) throw new Error(`side table: ${a.fn.name}: live value is neither an argument nor an instruction`);
    return { inst: p };
  };
  const cpDerived = siteDerivedValues(a.sites).map((d, k) => a.sites[k]!.live.flatMap((v, j) => (d.has(v) ? [j] : [])));
  return {
    name: (a.fn as Function).name!,
    blocks: a.fn.blocks.length,
    resume: a.points.map((p) => ({ id: p.id, kind: p.kind, at: pos.get(p.inst)!, live: p.live.map(ref) })),
    frame: frameValues(a.points, a.derived).map(ref),
    ...(a.idempotentCalls.length ? { idempotent: a.idempotentCalls.map((i) => pos.get(i)!) } : {}),
    ...(a.derived.length ? { derived: a.derived.map(ref) } : {}),
    ...(cpDerived.some((d) => d.length) ? { cpDerived } : {}),
  };
}

// The payload's side table is binary (docs/retrofit-abi.md §7), so that jitd
// can take the names up front and decode a function's entry, and a resume
// point's live list, only when a trace needs them (JSON.parse of minilua's
// 3.3 MB of side tables took 120-160 ms of jitd's start):
//   "YKST" u32 version u32 headerBytes header (UTF-8 JSON) pad to 4, Int32 data
// header = { version, source, unit, functions: [[name, blocks, word], ...] };
// the entry of a function at `word` of the data:
//   nResume, per point: id kind b i nLive refs...;  nFrame refs...;
//   nIdempotent (-1 absent) pairs...;  nBlockAddrs (-1 absent) indices...;
//   nDerived (-1 absent) refs...;  nSites (-1 absent), per site: n indices...
// A ref is two words: (-1, i) parameter i, (b, i) instruction i of block b.
const SIDE_MAGIC = [0x59, 0x4b, 0x53, 0x54]; // "YKST"
const SIDE_FORMAT = 4;
const KINDS: ResumeKind[] = ["cp", "term", "after", "before"];

export function encodeSideTable(side: SideTable): Uint8Array {
  const words: number[] = [];
  const refs = (rs: ValueRef[]) => {
    for (const r of rs) {
      if ("arg" in r) words.push(-1, r.arg);
      else words.push(r.inst[0], r.inst[1]);
    }
  };
  const index: [string, number, number][] = [];
  for (const f of side.functions) {
    index.push([f.name, f.blocks, words.length]);
    words.push(f.resume.length);
    for (const p of f.resume) {
      const k = KINDS.indexOf(p.kind);
      if (k < 0) throw new Error(`side table: ${f.name}: resume point ${p.id} of unknown kind ${String(p.kind)}`);
      words.push(p.id, k, p.at[0], p.at[1], p.live.length);
      refs(p.live);
    }
    words.push(f.frame.length);
    refs(f.frame);
    if (f.idempotent) { words.push(f.idempotent.length); for (const [b, i] of f.idempotent) words.push(b, i); } else words.push(-1);
    if (f.blockAddrs) { words.push(f.blockAddrs.length, ...f.blockAddrs); } else words.push(-1);
    if (f.derived) { words.push(f.derived.length); refs(f.derived); } else words.push(-1);
    if (f.cpDerived) { words.push(f.cpDerived.length); for (const d of f.cpDerived) words.push(d.length, ...d); } else words.push(-1);
  }
  const header = new TextEncoder().encode(JSON.stringify({ version: side.version, source: side.source, unit: side.unit, functions: index }));
  const dataOff = (12 + header.length + 3) & ~3;
  const out = new Uint8Array(dataOff + words.length * 4);
  out.set(SIDE_MAGIC, 0);
  const dv = new DataView(out.buffer);
  dv.setUint32(4, SIDE_FORMAT, true);
  dv.setUint32(8, header.length, true);
  out.set(header, 12);
  new Int32Array(out.buffer, dataOff, words.length).set(words); // little-endian hosts only, like the ykir loader
  return out;
}

/**
 * Reads a side table written by encodeSideTable. `lazy`: each function's
 * resume points, frame and the rest are decoded when first read, and each
 * point's live list when it is read (accessor properties that turn into
 * plain ones); otherwise everything is decoded now, into plain objects.
 */
export function decodeSideTable(bytes: Uint8Array, opts: { lazy?: boolean } = {}): SideTable {
  if (bytes.length < 12 || SIDE_MAGIC.some((b, i) => bytes[i] !== b)) throw new Error("side table: missing YKST tag");
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const format = dv.getUint32(4, true);
  if (format !== SIDE_FORMAT) throw new Error(`side table: format ${format}, this ykts reads ${SIDE_FORMAT}`);
  const hlen = dv.getUint32(8, true);
  if (12 + hlen > bytes.length) throw new Error("side table: truncated header");
  let h: { version: number; source: string; unit: string; functions: [string, number, number][] };
  try { h = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + hlen))); }
  catch (e) { throw new Error(`side table: corrupt header (${(e as Error).message})`); }
  if (h.version !== 1) throw new Error(`side table version ${String(h.version)} not supported`);
  const dataOff = (12 + hlen + 3) & ~3;
  const n = (bytes.length - dataOff) >> 2;
  const w = (bytes.byteOffset + dataOff) % 4 === 0
    ? new Int32Array(bytes.buffer, bytes.byteOffset + dataOff, n)
    : new Int32Array(bytes.slice(dataOff, dataOff + n * 4).buffer);
  const lazy = !!opts.lazy;
  const word = (k: number, what: string): number => {
    if (k >= n) throw new Error(`side table: truncated (${what})`);
    return w[k]!;
  };
  const readRefs = (at: number, count: number, what: string): ValueRef[] => {
    if (count < 0 || at + 2 * count > n) throw new Error(`side table: truncated (${what})`);
    const out: ValueRef[] = new Array(count);
    for (let j = 0; j < count; j++) {
      const b = w[at + 2 * j]!, i = w[at + 2 * j + 1]!;
      out[j] = b === -1 ? { arg: i } : { inst: [b, i] };
    }
    return out;
  };
  const define = <T>(o: object, key: string, get: () => T): void => {
    Object.defineProperty(o, key, {
      enumerable: true, configurable: true,
      get() { const v = get(); Object.defineProperty(o, key, { value: v, enumerable: true, configurable: true, writable: true }); return v; },
      set(v: T) { Object.defineProperty(o, key, { value: v, enumerable: true, configurable: true, writable: true }); },
    });
  };
  /** Fills `f` from its entry at word `at`. */
  const fill = (f: SideFunction, at: number): void => {
    let k = at;
    const nResume = word(k++, `${f.name}: resume points`);
    const resume: SideResumePoint[] = [];
    for (let r = 0; r < nResume; r++) {
      if (k + 5 > n) throw new Error(`side table: truncated (${f.name}: resume point ${r})`);
      const id = w[k]!, kind = KINDS[w[k + 1]!], b = w[k + 2]!, i = w[k + 3]!, nLive = w[k + 4]!;
      if (!kind) throw new Error(`side table: ${f.name}: resume point ${id} has bad kind ${w[k + 1]}`);
      const liveAt = k + 5;
      if (nLive < 0 || liveAt + 2 * nLive > n) throw new Error(`side table: truncated (${f.name}: live values of point ${id})`);
      const p = { id, kind, at: [b, i] } as SideResumePoint;
      if (lazy) define(p, "live", () => readRefs(liveAt, nLive, `${f.name}: live values of point ${id}`));
      else p.live = readRefs(liveAt, nLive, `${f.name}: live values of point ${id}`);
      resume.push(p);
      k = liveAt + 2 * nLive;
    }
    const nFrame = word(k++, `${f.name}: frame`);
    const frame = readRefs(k, nFrame, `${f.name}: frame`);
    k += 2 * nFrame;
    const nIdem = word(k++, `${f.name}: idempotent calls`);
    let idempotent: [number, number][] | undefined;
    if (nIdem >= 0) {
      if (k + 2 * nIdem > n) throw new Error(`side table: truncated (${f.name}: idempotent calls)`);
      idempotent = [];
      for (let j = 0; j < nIdem; j++) idempotent.push([w[k + 2 * j]!, w[k + 2 * j + 1]!]);
      k += 2 * nIdem;
    }
    const nBa = word(k++, `${f.name}: block addresses`);
    let blockAddrs: number[] | undefined;
    if (nBa >= 0) {
      if (k + nBa > n) throw new Error(`side table: truncated (${f.name}: block addresses)`);
      blockAddrs = Array.from(w.subarray(k, k + nBa));
      k += nBa;
    }
    const nDerived = word(k++, `${f.name}: derived values`);
    const derived = nDerived >= 0 ? readRefs(k, nDerived, `${f.name}: derived values`) : undefined;
    if (nDerived > 0) k += 2 * nDerived;
    const nSites = word(k++, `${f.name}: derived live values of sites`);
    let cpDerived: number[][] | undefined;
    if (nSites >= 0) {
      cpDerived = [];
      for (let j = 0; j < nSites; j++) {
        const m = word(k++, `${f.name}: derived live values of site ${j}`);
        if (m < 0 || k + m > n) throw new Error(`side table: truncated (${f.name}: derived live values of site ${j})`);
        cpDerived.push(Array.from(w.subarray(k, k + m)));
        k += m;
      }
    }
    for (const key of ["resume", "frame", "idempotent", "blockAddrs", "derived", "cpDerived"]) delete (f as unknown as Record<string, unknown>)[key];
    f.resume = resume;
    f.frame = frame;
    if (idempotent) f.idempotent = idempotent;
    if (blockAddrs) f.blockAddrs = blockAddrs;
    if (derived) f.derived = derived;
    if (cpDerived) f.cpDerived = cpDerived;
  };
  const functions = h.functions.map(([name, blocks, at]) => {
    const f = { name, blocks } as SideFunction;
    if (at < 0 || at >= n) throw new Error(`side table: ${name}: entry at word ${at} outside the data (${n} words)`);
    if (!lazy) { fill(f, at); return f; }
    // The first read of any of these decodes the entry.
    let done = false;
    const force = () => { if (!done) { done = true; fill(f, at); } };
    for (const key of ["resume", "frame", "idempotent", "blockAddrs", "derived", "cpDerived"] as const)
      Object.defineProperty(f, key, {
        enumerable: true, configurable: true,
        get() { force(); return (f as unknown as Record<string, unknown>)[key]; },
        set(v: unknown) { force(); Object.defineProperty(f, key, { value: v, enumerable: true, configurable: true, writable: true }); },
      });
    return f;
  });
  return { version: 1, source: h.source, unit: h.unit, functions };
}

export function encodePayload(ykir: Uint8Array, side: SideTable): Uint8Array {
  const table = encodeSideTable(side);
  const out = new Uint8Array(8 + ykir.length + table.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, ykir.length, true);
  out.set(ykir, 4);
  dv.setUint32(4 + ykir.length, table.length, true);
  out.set(table, 8 + ykir.length);
  return out;
}

/** Splits a `.ykts_ir` frame's payload; `lazy` as for decodeSideTable. */
export function decodePayload(payload: Uint8Array, opts: { lazy?: boolean } = {}): { ykir: Uint8Array; side: SideTable } {
  const dv = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  if (payload.length < 8) throw new Error("ykir payload too short");
  const n = dv.getUint32(0, true);
  if (4 + n + 4 > payload.length) throw new Error("ykir payload: ykir length out of range");
  const ykir = payload.subarray(4, 4 + n);
  const m = dv.getUint32(4 + n, true);
  if (8 + n + m > payload.length) throw new Error("ykir payload: side table length out of range");
  const side = decodeSideTable(payload.subarray(8 + n, 8 + n + m), opts);
  return { ykir, side };
}
