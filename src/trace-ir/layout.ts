// Sizes, alignments and field offsets of the types that appear in live
// structs and resume buffers, for x86-64 (System V, LLVM's default data
// layout for the triple clang-19 targets here). jitd needs them as numbers:
// the deopt table tells the runtime where each value goes in a buffer
// (docs/traces.md §3), and a trace reads its entry values from the live
// struct by offset.
import type { Type } from "../ykir/index.js";
import { StructType, ArrayType, VectorType, IntType, FloatType, arrayType, i8 } from "../ykir/index.js";

export class LayoutError extends Error {}

export interface TypeLayout { size: number; align: number; }

const alignTo = (n: number, a: number) => Math.ceil(n / a) * a;

export function layoutOf(t: Type): TypeLayout {
  if (t instanceof IntType) {
    if (t.bits <= 8) return { size: 1, align: 1 };
    if (t.bits <= 16) return { size: 2, align: 2 };
    if (t.bits <= 32) return { size: 4, align: 4 };
    if (t.bits <= 64) return { size: 8, align: 8 };
    const size = alignTo(Math.ceil(t.bits / 8), 16);
    return { size, align: 16 };
  }
  if (t instanceof FloatType) {
    switch (t.fkind) {
      case "half": case "bfloat": return { size: 2, align: 2 };
      case "float": return { size: 4, align: 4 };
      case "double": return { size: 8, align: 8 };
      case "x86_fp80": case "fp128": return { size: 16, align: 16 };
      default: throw new LayoutError(`no layout for ${t}`);
    }
  }
  if (t.kind === "ptr") return { size: 8, align: 8 };
  if (t instanceof ArrayType) {
    const e = layoutOf(t.elem);
    return { size: alignTo(e.size, e.align) * t.length, align: e.align };
  }
  if (t instanceof VectorType) {
    if (t.scalable) throw new LayoutError(`no layout for scalable vector ${t}`);
    const bits = t.elem instanceof IntType ? t.elem.bits : layoutOf(t.elem).size * 8;
    let size = Math.ceil((bits * t.length) / 8);
    let p = 1;
    while (p < size) p *= 2;
    size = p;
    return { size, align: size };
  }
  if (t instanceof StructType) {
    if (t.elems === null) throw new LayoutError(`no layout for opaque struct ${t}`);
    return structLayout(t.elems, t.packed).layout;
  }
  throw new LayoutError(`no layout for ${t}`);
}

/** Field offsets and the whole layout of a struct with these fields. */
export function structLayout(elems: Type[], packed = false): { offsets: number[]; layout: TypeLayout } {
  let off = 0, align = 1;
  const offsets: number[] = [];
  for (const e of elems) {
    const l = layoutOf(e);
    const a = packed ? 1 : l.align;
    off = alignTo(off, a);
    offsets.push(off);
    off += l.size;
    align = Math.max(align, a);
  }
  return { offsets, layout: { size: alignTo(off, align), align } };
}

/**
 * A live struct or resume buffer `{ [16 x i8], T0, T1, ... }`
 * (src/instrument/layout-consts.ts): offsets of T0, T1, ... and the size.
 */
export function bufferLayout(types: Type[]): { offsets: number[]; size: number } {
  const { offsets, layout } = structLayout([arrayType(16, i8), ...types]);
  return { offsets: offsets.slice(1), size: layout.size };
}

/**
 * Byte offset of `getelementptr elem, ptr %p, i0, i1, ...` with constant
 * (already sign-extended) indices, or undefined when a type on the way has
 * no layout or is not a struct or array. The first index steps by the
 * element's allocation size, as LLVM's does.
 */
export function gepConstantOffset(elem: Type, idx: bigint[]): bigint | undefined {
  const alloc = (t: Type) => { const l = layoutOf(t); return BigInt(Math.ceil(l.size / l.align) * l.align); };
  let off = 0n;
  let t: Type = elem;
  try {
    for (let k = 0; k < idx.length; k++) {
      const i = idx[k]!;
      if (k === 0) off += i * alloc(t);
      else if (t instanceof StructType && t.elems) {
        off += BigInt(structLayout(t.elems, t.packed).offsets[Number(i)]!);
        t = t.elems[Number(i)]!;
      } else if (t instanceof ArrayType) {
        off += i * alloc(t.elem);
        t = t.elem;
      } else return undefined;
    }
  } catch {
    return undefined; // no layout (opaque struct, scalable vector): leave it to LLVM
  }
  return off;
}
