// The shim ⇄ jitd wire format (docs/protocol.md): frames of `u32 length`
// (bytes after the length field) + `u8 type` + body, little-endian, strings
// as `u32 length` + UTF-8 bytes. This file is the TypeScript side's only
// encoder and decoder; native/shim.c is the C side.

export const PROTOCOL_VERSION = 4;
export const MAX_FRAME = 16 << 20;

export const MSG = {
  HELLO: 0x01,
  FUNCTION: 0x02,
  RECORDING: 0x03,
  SIDE_RECORDING: 0x04,
  UPGRADE_REQUEST: 0x05,
  HELLO_ACK: 0x81,
  ANSWER: 0x82,
  UPGRADE: 0x83,
} as const;

export const ANSWER_NOT_COMPILED = 0;
export const ANSWER_COMPILED = 1;
/** Compiled by the fast tier; the runtime may ask for the LLVM tier's object (UPGRADE_REQUEST), which an UPGRADE answers. */
export const ANSWER_COMPILED_UPGRADING = 2;

export const PROMOTE_KINDS = ["", "i64", "u64", "i32", "u32", "f64", "f32", "ptr"] as const;

export type Message =
  | { type: "hello"; version: number; pid: number; sync: boolean; exe: string }
  | { type: "function"; id: number; name: string }
  /** The runtime asks for the LLVM tier's object of a trace answered with ANSWER_COMPILED_UPGRADING (the trace got hot). */
  | { type: "upgrade-request"; symbol: string }
  | {
      type: "recording"; id: number; loc: number; startFn: number; startSite: number; endSite: number;
      blocks: Uint32Array; // pairs (fn id, block)
      promotes: { kind: string; bits: bigint }[];
      /** SIDE_RECORDING: the trace and guard the recording starts from, and whether it ends at the root trace's location (else at another trace's). */
      parent?: { symbol: string; guard: number; endsAtRoot: boolean };
      /** RECORDING, flags bit 0: the recording stops at a control point of another location that has a trace (the trace runs once and hands over to it) instead of closing its loop. */
      exitsToLoc?: boolean;
    };

export class ProtocolError extends Error {}

class Reader {
  off = 0;
  constructor(private readonly b: Buffer, private readonly what: string) {}
  need(n: number) {
    if (this.off + n > this.b.length) throw new ProtocolError(`${this.what}: message ends early (need ${n} bytes at ${this.off})`);
  }
  u8(): number { this.need(1); return this.b[this.off++]!; }
  u32(): number { this.need(4); const v = this.b.readUInt32LE(this.off); this.off += 4; return v; }
  u64(): bigint { this.need(8); const v = this.b.readBigUInt64LE(this.off); this.off += 8; return v; }
  str(): string { const n = this.u32(); this.need(n); const s = this.b.toString("utf8", this.off, this.off + n); this.off += n; return s; }
  done() { if (this.off !== this.b.length) throw new ProtocolError(`${this.what}: ${this.b.length - this.off} trailing bytes`); }
}

export function decodeMessage(body: Buffer): Message {
  const type = body[0];
  const r = new Reader(body, `message type 0x${(type ?? 0).toString(16)}`);
  r.off = 1;
  let m: Message;
  switch (type) {
    case MSG.HELLO:
      m = { type: "hello", version: r.u32(), pid: r.u32(), sync: (r.u32() & 1) !== 0, exe: r.str() };
      break;
    case MSG.FUNCTION:
      m = { type: "function", id: r.u32(), name: r.str() };
      break;
    case MSG.UPGRADE_REQUEST:
      m = { type: "upgrade-request", symbol: r.str() };
      break;
    case MSG.RECORDING:
    case MSG.SIDE_RECORDING: {
      const id = r.u32(), loc = r.u32(), startFn = r.u32(), startSite = r.u32(), endSite = r.u32();
      const parent = type === MSG.SIDE_RECORDING ? { symbol: r.str(), guard: r.u32(), endsAtRoot: (r.u32() & 1) !== 0 } : undefined;
      // A root recording's flags: bit 0, it stops at another location's trace.
      const exitsToLoc = type === MSG.RECORDING ? (r.u32() & 1) !== 0 : false;
      const n = r.u32();
      r.need(n * 8);
      const blocks = new Uint32Array(n * 2);
      for (let i = 0; i < n * 2; i++) blocks[i] = r.u32();
      const np = r.u32();
      const promotes = [];
      for (let i = 0; i < np; i++) {
        const k = r.u8();
        promotes.push({ kind: PROMOTE_KINDS[k] ?? `kind${k}`, bits: r.u64() });
      }
      m = { type: "recording", id, loc, startFn, startSite, endSite, blocks, promotes, ...(parent ? { parent } : {}), ...(exitsToLoc ? { exitsToLoc } : {}) };
      break;
    }
    default:
      throw new ProtocolError(`unknown message type 0x${(type ?? 0).toString(16)}`);
  }
  r.done();
  return m;
}

/** Splits complete frames off the front of `buf`; returns them and the rest. */
export function splitFrames(buf: Buffer): { frames: Buffer[]; rest: Buffer } {
  const frames: Buffer[] = [];
  let off = 0;
  while (buf.length - off >= 4) {
    const len = buf.readUInt32LE(off);
    if (len < 1 || len > MAX_FRAME) throw new ProtocolError(`bad frame length ${len}`);
    if (buf.length - off - 4 < len) break;
    frames.push(buf.subarray(off + 4, off + 4 + len));
    off += 4 + len;
  }
  return { frames, rest: buf.subarray(off) };
}

function frame(type: number, body: Buffer[]): Buffer {
  const payload = Buffer.concat([Buffer.from([type]), ...body]);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(payload.length);
  return Buffer.concat([len, payload]);
}
function u32(v: number): Buffer { const b = Buffer.alloc(4); b.writeUInt32LE(v >>> 0); return b; }
function u64(v: bigint): Buffer { const b = Buffer.alloc(8); b.writeBigUInt64LE(v); return b; }
function str(s: string): Buffer { const b = Buffer.from(s, "utf8"); return Buffer.concat([u32(b.length), b]); }

export function encodeHelloAck(description: string): Buffer {
  return frame(MSG.HELLO_ACK, [u32(PROTOCOL_VERSION), str(description)]);
}
export function encodeNotCompiled(recId: number, reason: string): Buffer {
  return frame(MSG.ANSWER, [u32(recId), Buffer.from([ANSWER_NOT_COMPILED]), str(reason)]);
}
export function encodeCompiled(recId: number, soPath: string, symbol: string, upgrading = false): Buffer {
  return frame(MSG.ANSWER, [u32(recId), Buffer.from([upgrading ? ANSWER_COMPILED_UPGRADING : ANSWER_COMPILED]), str(soPath), str(symbol)]);
}
/** The LLVM tier's object for the fast-tier trace `symbol` (or why there is none). */
export function encodeUpgrade(symbol: string, r: { so: string; symbol: string } | { reason: string }): Buffer {
  return "so" in r
    ? frame(MSG.UPGRADE, [str(symbol), Buffer.from([1]), str(r.so), str(r.symbol)])
    : frame(MSG.UPGRADE, [str(symbol), Buffer.from([0]), str(r.reason)]);
}

/** Shim-side encoders, for tests that play the runtime's part. */
export function encodeHello(pid: number, sync: boolean, exe: string, version = PROTOCOL_VERSION): Buffer {
  return frame(MSG.HELLO, [u32(version), u32(pid), u32(sync ? 1 : 0), str(exe)]);
}
export function encodeUpgradeRequest(symbol: string): Buffer {
  return frame(MSG.UPGRADE_REQUEST, [str(symbol)]);
}
export function encodeFunction(id: number, name: string): Buffer {
  return frame(MSG.FUNCTION, [u32(id), str(name)]);
}
export function encodeRecording(r: { id: number; loc: number; startFn: number; startSite: number; endSite: number; blocks: [number, number][]; promotes?: { kind: number; bits: bigint }[]; parent?: { symbol: string; guard: number; endsAtRoot: boolean }; exitsToLoc?: boolean }): Buffer {
  const parts = [u32(r.id), u32(r.loc), u32(r.startFn), u32(r.startSite), u32(r.endSite)];
  if (r.parent) parts.push(str(r.parent.symbol), u32(r.parent.guard), u32(r.parent.endsAtRoot ? 1 : 0));
  else parts.push(u32(r.exitsToLoc ? 1 : 0));
  parts.push(u32(r.blocks.length));
  for (const [f, b] of r.blocks) parts.push(u32(f), u32(b));
  const ps = r.promotes ?? [];
  parts.push(u32(ps.length));
  for (const p of ps) parts.push(Buffer.from([p.kind]), u64(p.bits));
  return frame(r.parent ? MSG.SIDE_RECORDING : MSG.RECORDING, parts);
}
