// The guards of the traces jitd has compiled, kept for the side traces that
// may start at them (a side recording names its parent trace and guard).
// Kept as built, they were most of jitd's memory: a minilua guard's frames
// carry one DeoptSlot object (with a bigint payload) per live value of each
// resume point, about 150 a guard, and richards' 80 traces took jitd's peak
// RSS to 536 MB. Packed, a slot is 14 bytes in typed arrays; a guard is
// unpacked again only when a side recording starts from it.
import type { DeoptSlot, GuardFrame, GuardInfo } from "../trace-ir/trace.js";

interface PackedFrame { fn: string; resumePoint: number; kind: string; bufSize: number; first: number; count: number }

interface PackedTrace {
  guards: PackedFrame[][];
  offset: Uint32Array;
  size: Uint8Array;
  source: Uint8Array;
  payload: BigUint64Array;
}

export class GuardStore {
  private traces = new Map<string, PackedTrace>();

  /** Keeps the guards of the trace `symbol` (copies them: the caller's objects are not retained). */
  add(symbol: string, guards: readonly GuardInfo[]): void {
    let n = 0;
    for (const g of guards) for (const f of g.frames) n += f.slots.length;
    const t: PackedTrace = {
      guards: [], offset: new Uint32Array(n), size: new Uint8Array(n), source: new Uint8Array(n), payload: new BigUint64Array(n),
    };
    let k = 0;
    for (const g of guards) { // by position, as the runtime numbers them
      const frames: PackedFrame[] = [];
      for (const f of g.frames) {
        frames.push({ fn: f.fn, resumePoint: f.resumePoint, kind: f.kind, bufSize: f.bufSize, first: k, count: f.slots.length });
        for (const s of f.slots) {
          t.offset[k] = s.offset;
          t.size[k] = s.size;
          t.source[k] = s.source;
          t.payload[k] = s.payload;
          k++;
        }
      }
      t.guards.push(frames);
    }
    this.traces.set(symbol, t);
  }

  /** The frames of the guard at position `index` of trace `symbol`'s guards as added, or undefined if there is none. */
  frames(symbol: string, index: number): GuardFrame[] | undefined {
    const t = this.traces.get(symbol);
    const frames = t?.guards[index];
    if (!t || !frames) return undefined;
    return frames.map((f) => {
      const slots: DeoptSlot[] = [];
      for (let k = f.first; k < f.first + f.count; k++)
        slots.push({ offset: t.offset[k]!, size: t.size[k]!, source: t.source[k]! as DeoptSlot["source"], payload: t.payload[k]! });
      return { fn: f.fn, resumePoint: f.resumePoint, kind: f.kind, bufSize: f.bufSize, slots };
    });
  }
}
