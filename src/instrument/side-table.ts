// The side table that travels with each translation unit's ykir
// (docs/retrofit-abi.md §6-7): per instrumented function, its control-point
// sites and resume points with their live values as position references into
// the unit's (uninstrumented) ykir. Also the payload format of a `.ykts_ir`
// frame: u32 n, n bytes of ykir, u32 m, m bytes of this table as JSON.
import type { Function, Instruction, Value } from "../ykir/index.js";
import { Argument } from "../ykir/index.js";
import { frameValues } from "./resume-points.js";
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
  return {
    name: (a.fn as Function).name!,
    blocks: a.fn.blocks.length,
    resume: a.points.map((p) => ({ id: p.id, kind: p.kind, at: pos.get(p.inst)!, live: p.live.map(ref) })),
    frame: frameValues(a.points).map(ref),
    ...(a.idempotentCalls.length ? { idempotent: a.idempotentCalls.map((i) => pos.get(i)!) } : {}),
  };
}

export function encodePayload(ykir: Uint8Array, side: SideTable): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(side));
  const out = new Uint8Array(8 + ykir.length + json.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, ykir.length, true);
  out.set(ykir, 4);
  dv.setUint32(4 + ykir.length, json.length, true);
  out.set(json, 8 + ykir.length);
  return out;
}

export function decodePayload(payload: Uint8Array): { ykir: Uint8Array; side: SideTable } {
  const dv = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  if (payload.length < 8) throw new Error("ykir payload too short");
  const n = dv.getUint32(0, true);
  if (4 + n + 4 > payload.length) throw new Error("ykir payload: ykir length out of range");
  const ykir = payload.subarray(4, 4 + n);
  const m = dv.getUint32(4 + n, true);
  if (8 + n + m > payload.length) throw new Error("ykir payload: side table length out of range");
  const side = JSON.parse(new TextDecoder().decode(payload.subarray(8 + n, 8 + n + m))) as SideTable;
  if (side.version !== 1) throw new Error(`ykir payload: side table version ${String(side.version)} not supported`);
  return { ykir, side };
}
