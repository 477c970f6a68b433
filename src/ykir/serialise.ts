// Compact, versioned serialised form of a ykir module, loaded by the JIT at
// run time (it must not re-parse LLVM text). Binary, little-endian
// (see docs/ykir.md, "Serialised format"):
//   "YKIR"  u32 version  u32 headerBytes  header (UTF-8 JSON)  pad to 4
//   Int32 data: objCount class indices, then one row per object
// The header holds the tables: classes ("Name:vkind"), key sets (field lists
// shared by objects of the same shape), types (in dependency order, re-
// interned on load), strings (deduplicated), numbers (those that are not
// small non-negative integers). A row is its key-set index followed by one
// encoded value per field. A value is one Int32 word v (plus words after it
// for some specials):
//   v = 4n     reference to object n         v = 4k+1  small integer k
//   v = 4i+2   string i                      v = 4c+3  special c:
//     c=0 null, 1 false, 2 true, 3 array (next word: length, then items),
//     4 type (next: type index), 5 bigint (next: string index of its digits),
//     6 number (next: index into the numbers table)
// Loading is one pass creating the objects and one pass filling them from an
// Int32Array view of the bytes: no text parsing of the object graph.
import * as T from "./types.js";
import type { Type } from "./types.js";
import { Argument, InlineAsm, MetadataOperand } from "./value.js";
import {
  ConstantInt, ConstantFP, ConstantNull, ConstantUndef, ConstantPoison, ConstantZero, ConstantNone, ConstantString,
  ConstantAggregate, ConstantSplat, BlockAddress, DSOLocalEquivalent, NoCFIValue, ConstantExpr,
} from "./constants.js";
import { Instruction, DebugRecord } from "./instruction.js";
import { Module, Function, GlobalVariable, GlobalAlias, GlobalIFunc, BasicBlock, Comdat } from "./module.js";
import { AttributeGroup } from "./attributes.js";
import { MDNode, NamedMD, MDAttachment, TBAAType, TBAATag } from "./metadata.js";

export const YKIR_FORMAT_VERSION = 2;
const MAGIC = [0x59, 0x4b, 0x49, 0x52]; // "YKIR"

export class YkirLoadError extends Error {}

// Registry of classes that may appear in the graph; "Object" is a plain record.
const CLASSES: Record<string, { prototype: object }> = {
  Object, Module, Function, GlobalVariable, GlobalAlias, GlobalIFunc, BasicBlock, Comdat, Argument, InlineAsm,
  MetadataOperand, Instruction, DebugRecord, ConstantInt, ConstantFP, ConstantNull, ConstantUndef, ConstantPoison,
  ConstantZero, ConstantNone, ConstantString, ConstantAggregate, ConstantSplat, BlockAddress, DSOLocalEquivalent, NoCFIValue,
  ConstantExpr, AttributeGroup, MDNode, NamedMD, MDAttachment, TBAAType, TBAATag,
};
const CLASS_NAME = new Map<object, string>(Object.entries(CLASSES).map(([n, c]) => [c.prototype, n]));

type TypeEntry = (string | number | boolean | number[] | null)[];
interface Header {
  classes: string[];
  keys: string[][];
  types: TypeEntry[];
  strings: string[];
  numbers: number[];
  objCount: number;
}

const SMALL_MAX = 1 << 28;
const SP_NULL = 3, SP_FALSE = 7, SP_TRUE = 11, SP_ARRAY = 15, SP_TYPE = 19, SP_BIGINT = 23, SP_NUMBER = 27;

/** Growable Int32 buffer. */
class Words {
  buf = new Int32Array(1 << 16);
  n = 0;
  push(v: number): void {
    if (this.n === this.buf.length) { const b = new Int32Array(this.buf.length * 2); b.set(this.buf); this.buf = b; }
    this.buf[this.n++] = v;
  }
}

/** Serialises a module to bytes. */
export function serialiseModule(m: Module): Uint8Array {
  const classes: string[] = [], classIdx = new Map<string, number>();
  const keysets: string[][] = [], keysetIdx = new Map<string, number>();
  const types: TypeEntry[] = [], typeIdx = new Map<Type, number>();
  const strings: string[] = [], stringIdx = new Map<string, number>();
  const numbers: number[] = [], numberIdx = new Map<number, number>();
  const objIdx = new Map<object, number>();
  const queue: object[] = [];
  const objClass: number[] = [];
  const rows = new Words();

  const typeRef = (t: Type): number => {
    const known = typeIdx.get(t);
    if (known !== undefined) return known;
    let e: TypeEntry;
    switch (t.kind) {
      case "int": e = ["i", (t as T.IntType).bits]; break;
      case "float": e = ["f", (t as T.FloatType).fkind]; break;
      case "ptr": e = ["p", (t as T.PtrType).addrspace]; break;
      case "array": { const a = t as T.ArrayType; e = ["a", a.length, typeRef(a.elem)]; break; }
      case "vector": { const v = t as T.VectorType; e = ["v", v.length, typeRef(v.elem), v.scalable]; break; }
      case "function": { const f = t as T.FunctionType; e = ["F", typeRef(f.ret), f.params.map(typeRef), f.varargs]; break; }
      case "target": e = ["t", (t as T.TargetExtType).text]; break;
      case "struct": {
        const s = t as T.StructType;
        if (s.name !== null) {
          // reserve the slot first: the body may refer back to this type
          const idx = types.length;
          types.push([]); typeIdx.set(t, idx);
          types[idx] = ["N", s.name, s.elems ? s.elems.map(typeRef) : null, s.packed];
          return idx;
        }
        e = ["S", s.elems!.map(typeRef), s.packed];
        break;
      }
      default: e = ["s", t.kind];
    }
    typeIdx.set(t, types.length);
    types.push(e);
    return types.length - 1;
  };
  const str = (s: string): number => {
    let i = stringIdx.get(s);
    if (i === undefined) { i = strings.length; strings.push(s); stringIdx.set(s, i); }
    return i;
  };
  const ref = (o: object): number => {
    let idx = objIdx.get(o);
    if (idx === undefined) {
      idx = objIdx.size; objIdx.set(o, idx); queue.push(o);
      const proto = Object.getPrototypeOf(o);
      const cname = CLASS_NAME.get(proto);
      if (cname === undefined) throw new Error(`serialise: unexpected object of class ${proto?.constructor?.name}`);
      let ci = classIdx.get(cname);
      if (ci === undefined) {
        ci = classes.length; classIdx.set(cname, ci);
        const vk = (o as { vkind?: string }).vkind;
        classes.push(vk === undefined ? cname : `${cname}:${vk}`);
      }
      objClass.push(ci);
    }
    return idx;
  };
  const enc = (v: unknown): void => {
    switch (typeof v) {
      case "string": rows.push(str(v) * 4 + 2); return;
      case "boolean": rows.push(v ? SP_TRUE : SP_FALSE); return;
      case "number":
        if (Number.isInteger(v) && v >= 0 && v < SMALL_MAX && !Object.is(v, -0)) { rows.push(v * 4 + 1); return; }
        {
          let i = numberIdx.get(v);
          if (i === undefined || Object.is(v, -0)) { i = numbers.length; numbers.push(v); numberIdx.set(v, i); }
          rows.push(SP_NUMBER); rows.push(i);
        }
        return;
      case "bigint": rows.push(SP_BIGINT); rows.push(str(v.toString())); return;
      case "object":
        if (v === null) { rows.push(SP_NULL); return; }
        if (Array.isArray(v)) { rows.push(SP_ARRAY); rows.push(v.length); for (const x of v) enc(x); return; }
        if (v instanceof T.Type) { rows.push(SP_TYPE); rows.push(typeRef(v)); return; }
        rows.push(ref(v) * 4);
        return;
    }
    throw new Error(`serialise: cannot encode a ${typeof v}`);
  };

  ref(m);
  for (let q = 0; q < queue.length; q++) {
    const o = queue[q] as Record<string, unknown>;
    const keys: string[] = [];
    for (const k in o) {
      // vkind is the same for every object of a class (kept in the class table); parent links are rebuilt on load
      if (k === "vkind" || k === "parent") continue;
      const v = o[k];
      if (v === undefined || typeof v === "function") continue;
      keys.push(k);
    }
    const kk = keys.join(",");
    let ki = keysetIdx.get(kk);
    if (ki === undefined) { ki = keysets.length; keysets.push(keys); keysetIdx.set(kk, ki); }
    rows.push(ki);
    for (const k of keys) enc(o[k]);
  }

  const header: Header = { classes, keys: keysets, types, strings, numbers, objCount: objClass.length };
  const hbytes = new TextEncoder().encode(JSON.stringify(header));
  const dataOff = (12 + hbytes.length + 3) & ~3;
  const out = new Uint8Array(dataOff + (objClass.length + rows.n) * 4);
  out.set(MAGIC, 0);
  const dv = new DataView(out.buffer);
  dv.setUint32(4, YKIR_FORMAT_VERSION, true);
  dv.setUint32(8, hbytes.length, true);
  out.set(hbytes, 12);
  const words = new Int32Array(out.buffer, dataOff, objClass.length + rows.n);
  words.set(objClass, 0);
  words.set(rows.buf.subarray(0, rows.n), objClass.length);
  return out;
}

/** Loads a module written by serialiseModule. */
export function loadModule(data: Uint8Array): Module {
  if (!(data instanceof Uint8Array)) throw new YkirLoadError("serialised ykir must be given as bytes (Uint8Array)");
  if (data.length < 12 || MAGIC.some((b, i) => data[i] !== b)) throw new YkirLoadError("not a serialised ykir module (missing YKIR tag)");
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const version = dv.getUint32(4, true);
  if (version !== YKIR_FORMAT_VERSION) throw new YkirLoadError(`serialised ykir version ${version}, this ykts reads version ${YKIR_FORMAT_VERSION}`);
  const hlen = dv.getUint32(8, true);
  if (12 + hlen > data.length) throw new YkirLoadError("serialised ykir is truncated (header)");
  let h: Header;
  try { h = JSON.parse(new TextDecoder().decode(data.subarray(12, 12 + hlen))); }
  catch (e) { throw new YkirLoadError(`serialised ykir header is corrupt (${(e as Error).message})`); }
  const dataOff = (12 + hlen + 3) & ~3;
  const nWords = (data.length - dataOff) >> 2;
  // an Int32Array view needs 4-byte alignment of the underlying buffer; copy when the bytes are not aligned
  const w = (data.byteOffset + dataOff) % 4 === 0
    ? new Int32Array(data.buffer, data.byteOffset + dataOff, nWords)
    : new Int32Array(data.slice(dataOff, dataOff + nWords * 4).buffer);

  // types: named structs first (they may be referenced before their body), then in order
  const types: Type[] = new Array(h.types.length);
  h.types.forEach((e, k) => { if (e[0] === "N") types[k] = new T.StructType(e[1] as string, null, e[3] as boolean); });
  h.types.forEach((e, k) => {
    switch (e[0]) {
      case "i": types[k] = T.intType(e[1] as number); break;
      case "f": types[k] = T.floatType(e[1] as T.FloatKind); break;
      case "p": types[k] = T.ptrType(e[1] as number); break;
      case "a": types[k] = T.arrayType(e[1] as number, types[e[2] as number]!); break;
      case "v": types[k] = T.vectorType(e[1] as number, types[e[2] as number]!, e[3] as boolean); break;
      case "F": types[k] = T.functionType(types[e[1] as number]!, (e[2] as number[]).map((i) => types[i]!), e[3] as boolean); break;
      case "t": types[k] = T.targetExtType(e[1] as string); break;
      case "S": types[k] = T.structType((e[1] as number[]).map((i) => types[i]!), e[2] as boolean); break;
      case "s": types[k] = T.simpleType(e[1] as T.SimpleType["kind"]); break;
      case "N": break;
      default: throw new YkirLoadError(`bad type entry ${JSON.stringify(e)}`);
    }
  });
  h.types.forEach((e, k) => {
    if (e[0] === "N" && e[2] !== null) (types[k] as T.StructType).elems = (e[2] as number[]).map((i) => types[i]!);
  });

  const protos = h.classes.map((c) => {
    const [name, vkind] = c.split(":");
    const cls = CLASSES[name!];
    if (!cls) throw new YkirLoadError(`unknown class '${name}' in serialised ykir`);
    return { proto: cls.prototype, vkind };
  });
  const n = h.objCount;
  if (n > nWords) throw new YkirLoadError("serialised ykir is truncated (objects)");
  const objs: Record<string, unknown>[] = new Array(n);
  for (let k = 0; k < n; k++) {
    const c = protos[w[k]!];
    if (!c) throw new YkirLoadError(`bad class index for object ${k}`);
    const o = Object.create(c.proto);
    if (c.vkind !== undefined) o.vkind = c.vkind;
    objs[k] = o;
  }
  const strings = h.strings, numbers = h.numbers, keys = h.keys;
  let p = n;
  const val = (): unknown => {
    const v = w[p++]!;
    switch (v & 3) {
      case 0: return objs[v >> 2];
      case 1: return v >>> 2;
      case 2: return strings[v >>> 2];
    }
    switch (v) {
      case SP_NULL: return null;
      case SP_FALSE: return false;
      case SP_TRUE: return true;
      case SP_ARRAY: { const len = w[p++]!; const a = new Array(len); for (let j = 0; j < len; j++) a[j] = val(); return a; }
      case SP_TYPE: return types[w[p++]!];
      case SP_BIGINT: return BigInt(strings[w[p++]!]!);
      case SP_NUMBER: return numbers[w[p++]!];
    }
    throw new YkirLoadError(`bad value word ${v} at ${p - 1}`);
  };
  for (let k = 0; k < n; k++) {
    if (p >= nWords) throw new YkirLoadError("serialised ykir is truncated (rows)");
    const ks = keys[w[p++]!]!;
    const o = objs[k]!;
    for (let j = 0; j < ks.length; j++) o[ks[j]!] = val();
  }
  const m = objs[0] as unknown as Module;
  for (const f of m.functions)
    for (const b of f.blocks) {
      b.parent = f;
      for (const i of b.instructions) i.parent = b;
    }
  return m;
}
