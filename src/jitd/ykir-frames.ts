// The `.ykts_ir` section format (docs/retrofit-abi.md §7): a sequence of
// frames `"YKIR" u32 version u64 length bytes[length]`, one per translation
// unit, concatenated by the linker. Written by `ykts cc`, read by jitd.
// Zero bytes between frames are skipped (a linker may pad for alignment).

export const FRAME_MAGIC = "YKIR";
/** Default frame version: the version field carries the ykir serialised
 *  format's version (YKIR_FORMAT_VERSION of src/ykir/serialise.ts). */
export const FRAME_VERSION = 1;
const HEADER = 16;

export interface YkirFrame {
  version: number;
  /** Offset of the payload within the section. */
  offset: number;
  payload: Uint8Array;
}

export function encodeFrame(payload: Uint8Array, version = FRAME_VERSION): Uint8Array {
  const out = new Uint8Array(HEADER + payload.length);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = FRAME_MAGIC.charCodeAt(i);
  dv.setUint32(4, version, true);
  dv.setBigUint64(8, BigInt(payload.length), true);
  out.set(payload, HEADER);
  return out;
}

export class FrameError extends Error {}

export function decodeFrames(section: Uint8Array): YkirFrame[] {
  const frames: YkirFrame[] = [];
  const dv = new DataView(section.buffer, section.byteOffset, section.byteLength);
  let off = 0;
  while (off < section.length) {
    if (section[off] === 0) { off++; continue; }
    if (off + HEADER > section.length) throw new FrameError(`.ykts_ir: truncated frame header at offset ${off}`);
    const magic = String.fromCharCode(section[off]!, section[off + 1]!, section[off + 2]!, section[off + 3]!);
    if (magic !== FRAME_MAGIC) throw new FrameError(`.ykts_ir: bad frame magic ${JSON.stringify(magic)} at offset ${off}`);
    const version = dv.getUint32(off + 4, true);
    const len = dv.getBigUint64(off + 8, true);
    if (len > BigInt(section.length - off - HEADER))
      throw new FrameError(`.ykts_ir: frame at offset ${off} claims ${len} bytes, only ${section.length - off - HEADER} left`);
    const n = Number(len);
    frames.push({ version, offset: off + HEADER, payload: section.subarray(off + HEADER, off + HEADER + n) });
    off += HEADER + n;
  }
  return frames;
}
