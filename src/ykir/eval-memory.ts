// The simulated memory of the reference evaluator (eval.ts): a sparse,
// byte-addressed, little-endian 64-bit address space in which every byte
// exists. A byte nobody wrote has a deterministic default: a hash of the
// memory's seed, its epoch and its address, unless the input gives it
// (an *override*). So a trace that reads through pointers it loaded from
// the live struct reads the same bytes in every run on the same input, which
// is all an equivalence check needs, without a snapshot of real memory.
//
// Epochs model opaque calls: `clobber(info)` says "anything may have been
// written" (but the `preserved` ranges) and starts a new epoch whose defaults hash a digest of everything
// written so far (and what the call was), so a store the call could have
// read, dropped or changed, changes every later read. Overrides name the
// epoch they apply to.
//
// Two ways of making defaults: "wide" (every byte hashed: loaded pointers
// point anywhere and never alias) and "pool" (every aligned 8-byte word is
// an address inside a small pool region: pointers loaded from memory
// often alias one another, which tests of alias reasoning need).

export const PAGE_BITS = 8n;
const PAGE = 1 << Number(PAGE_BITS);
const PAGE_MASK = BigInt(PAGE - 1);
/** The pool's base address and size (mode "pool"). */
export const POOL_BASE = 0x4000_0000_0000n;
export const POOL_WORDS = 512;

export interface MemOverride { epoch: number; addr: bigint; bytes: Uint8Array }

interface Page { bytes: Uint8Array; written: Uint8Array; nWritten: number; /** each written byte's value before its first write */ orig: Uint8Array }

/** murmur3's finaliser over the mix of a few 32-bit words. */
export function mix32(...xs: number[]): number {
  let h = 0x9e3779b9 | 0;
  for (const x of xs) {
    h = Math.imul(h ^ (x | 0), 0x85ebca6b);
    h = (h << 13) | (h >>> 19);
    h = Math.imul(h, 0xc2b2ae35) ^ 0x27d4eb2f;
  }
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of a string. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return mix32(h);
}

export class SimMemory {
  epoch = 0;
  /** The current epoch's seed (what the defaults hash). */
  seed: number;
  private pages = new Map<bigint, Page>();
  /** Overrides by epoch, then by page. */
  private over = new Map<number, Map<bigint, MemOverride[]>>();
  /** Bytes read that came from the defaults or overrides (not written in this epoch). */
  initialReads = 0;
  /** Ranges a clobber leaves as they are (a trace's live struct: no function the trace calls can know it). */
  preserved: { addr: bigint; size: number }[] = [];
  /** Ranges whose writes are no effect (a trace's write-only scratch word, src/opt/promote-slots.ts). */
  ignored: { addr: bigint; size: number }[] = [];

  constructor(seed: number, readonly mode: "wide" | "pool" = "wide", overrides: MemOverride[] = []) {
    this.seed = mix32(seed, mode === "pool" ? 1 : 0);
    for (const o of overrides) this.addOverride(o);
  }

  private addOverride(o: MemOverride): void {
    let byPage = this.over.get(o.epoch);
    if (!byPage) this.over.set(o.epoch, (byPage = new Map()));
    for (let p = o.addr >> PAGE_BITS; p <= (o.addr + BigInt(Math.max(o.bytes.length, 1) - 1)) >> PAGE_BITS; p++) {
      const l = byPage.get(p);
      if (l) l.push(o); else byPage.set(p, [o]);
    }
  }

  private page(p: bigint): Page {
    let pg = this.pages.get(p);
    if (pg) return pg;
    const bytes = new Uint8Array(PAGE);
    const lo = Number(p & 0xffffffffn) | 0, hi = Number((p >> 32n) & 0xffffffffn) | 0;
    if (this.mode === "wide") {
      for (let w = 0; w < PAGE / 4; w++) {
        const h = mix32(this.seed, lo, hi, w);
        bytes[4 * w] = h & 255; bytes[4 * w + 1] = (h >>> 8) & 255; bytes[4 * w + 2] = (h >>> 16) & 255; bytes[4 * w + 3] = h >>> 24;
      }
    } else {
      const dv = new DataView(bytes.buffer);
      for (let w = 0; w < PAGE / 8; w++) {
        const h = mix32(this.seed, lo, hi, w);
        dv.setBigUint64(8 * w, POOL_BASE + BigInt((h % POOL_WORDS) * 8), true);
      }
    }
    for (const o of this.over.get(this.epoch)?.get(p) ?? []) {
      const start = p << PAGE_BITS;
      for (let i = 0; i < o.bytes.length; i++) {
        const a = o.addr + BigInt(i);
        if (a >> PAGE_BITS === p) bytes[Number(a - start)] = o.bytes[i]!;
      }
    }
    pg = { bytes, written: new Uint8Array(PAGE), nWritten: 0, orig: new Uint8Array(PAGE) };
    this.pages.set(p, pg);
    return pg;
  }

  /** Reads n bytes; `initial` says whether none of them was written in this epoch. */
  read(addr: bigint, n: number): { bytes: Uint8Array; initial: boolean } {
    addr = BigInt.asUintN(64, addr);
    const out = new Uint8Array(n);
    let initial = true;
    for (let i = 0; i < n;) {
      const a = BigInt.asUintN(64, addr + BigInt(i));
      const pg = this.page(a >> PAGE_BITS);
      let off = Number(a & PAGE_MASK);
      for (; i < n && off < PAGE; i++, off++) {
        out[i] = pg.bytes[off]!;
        if (pg.written[off]) initial = false;
      }
    }
    if (initial) this.initialReads += n;
    return { bytes: out, initial };
  }

  write(addr: bigint, bytes: Uint8Array): void {
    addr = BigInt.asUintN(64, addr);
    for (let i = 0; i < bytes.length;) {
      const a = BigInt.asUintN(64, addr + BigInt(i));
      const pg = this.page(a >> PAGE_BITS);
      let off = Number(a & PAGE_MASK);
      for (; i < bytes.length && off < PAGE; i++, off++) {
        if (!pg.written[off]) { pg.written[off] = 1; pg.nWritten++; pg.orig[off] = pg.bytes[off]!; }
        pg.bytes[off] = bytes[i]!;
      }
    }
  }

  /**
   * An opaque call may have written anything: a new epoch whose defaults
   * depend on what was written before it and on `info` (the call).
   */
  clobber(info: string): void {
    let h = mix32(this.seed, hashString(info));
    for (const line of this.effects()) h = mix32(h, hashString(line));
    const keep = this.preserved.map((r) => {
      const bytes = new Uint8Array(r.size), written = new Uint8Array(r.size);
      for (let i = 0; i < r.size; i++) {
        const a = r.addr + BigInt(i), pg = this.page(a >> PAGE_BITS), off = Number(a & PAGE_MASK);
        bytes[i] = pg.bytes[off]!; written[i] = pg.written[off]!;
      }
      return { r, bytes, written };
    });
    this.seed = h;
    this.epoch++;
    this.pages.clear();
    for (const { r, bytes, written } of keep)
      for (let i = 0; i < r.size; i++) {
        const a = r.addr + BigInt(i), pg = this.page(a >> PAGE_BITS), off = Number(a & PAGE_MASK);
        pg.bytes[off] = bytes[i]!;
        if (written[i] && !pg.written[off]) { pg.written[off] = 1; pg.nWritten++; }
      }
  }

  /**
   * The bytes written in this epoch (all of them before the first clobber):
   * one line per run of consecutive written bytes, `0xADDR: hex`, by address.
   */
  effects(): string[] {
    const keys = [...this.pages.keys()].filter((k) => this.pages.get(k)!.nWritten > 0).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const out: string[] = [];
    let runStart = -1n, runHex = "", next = -1n;
    const flush = () => { if (runHex) out.push(`0x${runStart.toString(16)}: ${runHex}`); runHex = ""; };
    for (const k of keys) {
      const pg = this.pages.get(k)!;
      for (let off = 0; off < PAGE; off++) {
        // A byte written back with the value it had is no effect (nothing
        // else runs meanwhile); nor is a write into an ignored range.
        if (!pg.written[off] || pg.bytes[off] === pg.orig[off]) continue;
        const a = (k << PAGE_BITS) + BigInt(off);
        if (this.ignored.some((r) => a >= r.addr && a < r.addr + BigInt(r.size))) continue;
        if (a !== next) { flush(); runStart = a; }
        runHex += pg.bytes[off]!.toString(16).padStart(2, "0");
        next = a + 1n;
      }
    }
    flush();
    return out;
  }
}

export function bytesOfBigint(v: bigint, n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = BigInt.asUintN(n * 8, v);
  for (let i = 0; i < n; i++) { out[i] = Number(x & 255n); x >>= 8n; }
  return out;
}

export function bigintOfBytes(b: Uint8Array): bigint {
  let x = 0n;
  for (let i = b.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(b[i]!);
  return x;
}
