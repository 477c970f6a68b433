// Compact, versioned serialised form of a ykir module, loaded by the JIT at
// run time (it must not re-parse LLVM text). Binary, little-endian
// (see docs/ykir.md, "Serialised format"):
//   "YKIR"  u32 version  u32 headerBytes  header (UTF-8 JSON)  pad to 4
//   Int32 data: the shell segment, then one segment per function body
// The header holds the tables: classes ("Name:vkind"), key sets (field lists
// shared by objects of the same shape), types (in dependency order, re-
// interned on load), strings (deduplicated), numbers (those that are not
// small non-negative integers), and the body segments. A segment is its
// objects' class indices, (for a body) the function's `blocks` value, then
// one row per object: its key-set index followed by one encoded value per
// field. A value is one Int32 word v (plus words after it for some specials):
//   v = 4n     reference to object n         v = 4k+1  small integer k
//   v = 4i+2   string i                      v = 4c+3  special c:
//     c=0 null, 1 false, 2 true, 3 array (next word: length, then items),
//     4 type (next: type index), 5 bigint (next: string index of its digits),
//     6 number (next: index into the numbers table), 7 a function's body
//     (next: segment index)
// The shell is everything reachable from the module without entering a
// function's blocks, plus what two bodies share; a body segment holds the
// objects only that function's blocks reach. Loading decodes the shell and
// either every body (the default) or each body when its `blocks` is first
// read (`lazy`, for jitd: a trace needs a few functions of the 477). Either
// way it is one pass creating the objects and one pass filling them from an
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

export const YKIR_FORMAT_VERSION = 4;
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
  /** Objects of the shell segment (object 0 is the Module). */
  objCount: number;
  /** Body segments: [first object, object count, first data word, data words]. */
  segments: [number, number, number, number][];
}

const SMALL_MAX = 1 << 28;
const SP_NULL = 3, SP_FALSE = 7, SP_TRUE = 11, SP_ARRAY = 15, SP_TYPE = 19, SP_BIGINT = 23, SP_NUMBER = 27, SP_BODY = 31;

/** Growable Int32 buffer. */
class Words {
  buf = new Int32Array(1 << 16);
  n = 0;
  push(v: number): void {
    if (this.n === this.buf.length) { const b = new Int32Array(this.buf.length * 2); b.set(this.buf); this.buf = b; }
    this.buf[this.n++] = v;
  }
}

/** The fields the serialiser writes: vkind is the same for every object of
 *  a class (kept in the class table), parent links are rebuilt on load. */
function fieldKeys(o: Record<string, unknown>): string[] {
  const keys: string[] = [];
  for (const k in o) {
    if (k === "vkind" || k === "parent") continue;
    const v = o[k];
    if (v === undefined || typeof v === "function") continue;
    keys.push(k);
  }
  return keys;
}

/** Calls `f` on every object a value holds (through arrays; types are not objects of the graph). */
function eachObject(v: unknown, f: (o: object) => void): void {
  if (v === null || typeof v !== "object") return;
  if (Array.isArray(v)) { for (const x of v) eachObject(x, f); return; }
  if (v instanceof T.Type) return;
  f(v);
}

const SHARED = Symbol("shared");

/**
 * Splits the graph into the shell and function bodies: `bodies` are the
 * functions whose blocks get a segment of their own, `owner` the body each
 * non-shell object belongs to. A function whose block or instruction the
 * shell or another body reaches (a blockaddress) stays in the shell whole.
 */
function partition(m: Module): { bodies: Function[]; shell: Set<object>; owner: Map<object, Function | typeof SHARED> } {
  let bodies = new Set(m.functions.filter((f) => f.blocks.length > 0));
  for (;;) {
    const shell = new Set<object>();
    const stack: object[] = [m];
    while (stack.length) {
      const o = stack.pop()! as Record<string, unknown>;
      if (shell.has(o)) continue;
      shell.add(o);
      const body = o instanceof Function && bodies.has(o);
      for (const k of fieldKeys(o)) if (!(body && k === "blocks")) eachObject(o[k], (x) => { if (!shell.has(x)) stack.push(x); });
    }
    const owner = new Map<object, Function | typeof SHARED>();
    const share = (start: object) => {
      const st = [start];
      while (st.length) {
        const o = st.pop()! as Record<string, unknown>;
        if (shell.has(o) || owner.get(o) === SHARED) continue;
        owner.set(o, SHARED);
        for (const k of fieldKeys(o)) eachObject(o[k], (x) => st.push(x));
      }
    };
    for (const f of bodies) {
      const st: object[] = [];
      eachObject(f.blocks, (x) => st.push(x));
      while (st.length) {
        const o = st.pop()! as Record<string, unknown>;
        if (shell.has(o)) continue;
        const w = owner.get(o);
        if (w === f || w === SHARED) continue;
        if (w !== undefined) { share(o); continue; }
        owner.set(o, f);
        for (const k of fieldKeys(o)) eachObject(o[k], (x) => st.push(x));
      }
    }
    const whole = [...bodies].filter((f) => f.blocks.some((b) => owner.get(b) !== f || b.instructions.some((i) => owner.get(i) !== f)));
    if (whole.length === 0) return { bodies: [...bodies], shell, owner };
    for (const f of whole) bodies.delete(f);
    bodies = new Set(bodies);
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
  const { bodies, owner } = partition(m);
  const bodyIdx = new Map<Function, number>(bodies.map((f, k) => [f, k]));
  // The segment being written: its objects' classes, its queue and rows.
  let segClass: number[] = [];
  let queue: object[] = [];
  let rows = new Words();
  let segOwner: Function | null = null; // null: the shell

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
      const w = owner.get(o);
      if (segOwner === null ? w !== undefined && w !== SHARED : w !== segOwner)
        throw new Error(`serialise: internal error: an object of ${segOwner ? `the body of ${segOwner.name}` : "the shell"} refers to one of ${w === undefined || w === SHARED ? "the shell" : `the body of ${w.name}`}`);
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
      segClass.push(ci);
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
  const writeRows = () => {
    for (let q = 0; q < queue.length; q++) {
      const o = queue[q] as Record<string, unknown>;
      const keys = fieldKeys(o);
      const kk = keys.join(",");
      let ki = keysetIdx.get(kk);
      if (ki === undefined) { ki = keysets.length; keysets.push(keys); keysetIdx.set(kk, ki); }
      rows.push(ki);
      const body = o instanceof Function ? bodyIdx.get(o) : undefined;
      for (const k of keys) {
        if (body !== undefined && k === "blocks") { rows.push(SP_BODY); rows.push(body); }
        else enc(o[k]);
      }
    }
  };
  const done: { classes: number[]; words: Words }[] = [];
  // The shell: the module, then what bodies share.
  ref(m);
  for (const [o, w] of owner) if (w === SHARED) ref(o);
  writeRows();
  const shellCount = segClass.length;
  done.push({ classes: segClass, words: rows });
  const segments: [number, number, number, number][] = [];
  let word = shellCount + rows.n;
  for (const f of bodies) {
    segOwner = f; segClass = []; queue = []; rows = new Words();
    const first = objIdx.size;
    enc(f.blocks);
    writeRows();
    segments.push([first, segClass.length, word, segClass.length + rows.n]);
    word += segClass.length + rows.n;
    done.push({ classes: segClass, words: rows });
  }

  const header: Header = { classes, keys: keysets, types, strings, numbers, objCount: shellCount, segments };
  const hbytes = new TextEncoder().encode(JSON.stringify(header));
  const dataOff = (12 + hbytes.length + 3) & ~3;
  const out = new Uint8Array(dataOff + word * 4);
  out.set(MAGIC, 0);
  const dv = new DataView(out.buffer);
  dv.setUint32(4, YKIR_FORMAT_VERSION, true);
  dv.setUint32(8, hbytes.length, true);
  out.set(hbytes, 12);
  const words = new Int32Array(out.buffer, dataOff, word);
  let at = 0;
  for (const d of done) {
    words.set(d.classes, at); at += d.classes.length;
    words.set(d.words.buf.subarray(0, d.words.n), at); at += d.words.n;
  }
  return out;
}

export interface LoadOptions {
  /** Decode each function's body when its `blocks` is first read (see the top of this file). */
  lazy?: boolean;
  /** Called once per function whose body was decoded separately, right after (lazy or not). */
  onBody?: (f: Function) => void;
}

const BODY = Symbol("body");

/** Loads a module written by serialiseModule. */
export function loadModule(data: Uint8Array, opts: LoadOptions = {}): Module {
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
  const segments = h.segments ?? [];
  const shellCount = h.objCount;
  let total = shellCount;
  if (shellCount > nWords) throw new YkirLoadError("serialised ykir is truncated (objects)");
  let end = shellCount; // data words used so far
  for (const [first, count, start, len] of segments) {
    if (first !== total || start < end || len < count || start + len > nWords)
      throw new YkirLoadError("serialised ykir is truncated (body segments)");
    total += count; end = start + len;
  }
  const objs: Record<string, unknown>[] = new Array(total);
  const strings = h.strings, numbers = h.numbers, keys = h.keys;

  /** Decodes objects [first, first + count) from words [start, stop): their classes, the segment's root value (a body's blocks) and their rows. */
  const decode = (first: number, count: number, start: number, stop: number, root: boolean, later: [Record<string, unknown>, string, number][] | null): unknown => {
    if (start + count > stop) throw new YkirLoadError("serialised ykir is truncated (objects)");
    for (let k = 0; k < count; k++) {
      const c = protos[w[start + k]!];
      if (!c) throw new YkirLoadError(`bad class index for object ${first + k}`);
      const o = Object.create(c.proto);
      if (c.vkind !== undefined) o.vkind = c.vkind;
      objs[first + k] = o;
    }
    let p = start + count;
    let body = -1;
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
        case SP_ARRAY: {
          const len = w[p++]!;
          const a = new Array(len);
          for (let j = 0; j < len; j++) { const x = val(); if (x === BODY) throw new YkirLoadError(`misplaced body reference at ${p - 2}`); a[j] = x; }
          return a;
        }
        case SP_TYPE: return types[w[p++]!];
        case SP_BIGINT: return BigInt(strings[w[p++]!]!);
        case SP_NUMBER: return numbers[w[p++]!];
        case SP_BODY: body = w[p++]!; return BODY;
      }
      throw new YkirLoadError(`bad value word ${v} at ${p - 1}`);
    };
    const rootValue = root ? val() : undefined;
    for (let k = first; k < first + count; k++) {
      if (p >= stop) throw new YkirLoadError("serialised ykir is truncated (rows)");
      const ks = keys[w[p++]!]!;
      const o = objs[k]!;
      for (let j = 0; j < ks.length; j++) {
        const x = val();
        if (x !== BODY) { o[ks[j]!] = x; continue; }
        if (!later || !(o instanceof Function) || ks[j] !== "blocks" || !segments[body])
          throw new YkirLoadError(`misplaced body reference ${body} in object ${k}`);
        later.push([o, ks[j]!, body]);
        o[ks[j]!] = null; // the field keeps its place
      }
    }
    if (p > stop) throw new YkirLoadError("serialised ykir is truncated (rows)");
    return rootValue;
  };
  const setParents = (f: Function) => {
    for (const b of f.blocks) {
      b.parent = f;
      for (const i of b.instructions) i.parent = b;
    }
  };
  const bodyOf = (k: number): BasicBlock[] => {
    const [first, count, start, len] = segments[k]!;
    const blocks = decode(first, count, start, start + len, true, null);
    if (!Array.isArray(blocks)) throw new YkirLoadError(`body segment ${k} does not start with a block list`);
    return blocks as BasicBlock[];
  };

  const later: [Record<string, unknown>, string, number][] = [];
  decode(0, shellCount, 0, segments.length ? segments[0]![2] : nWords, false, later);
  const m = objs[0] as unknown as Module;
  const separate = new Set(later.map(([f]) => f));
  for (const f of m.functions) if (!separate.has(f as unknown as Record<string, unknown>)) setParents(f);
  for (const [o, key, k] of later) {
    const f = o as unknown as Function;
    if (!opts.lazy) {
      o[key] = bodyOf(k);
      setParents(f);
      opts.onBody?.(f);
      continue;
    }
    let decoded = false;
    const fill = (blocks: BasicBlock[]) => {
      decoded = true;
      Object.defineProperty(f, key, { value: blocks, writable: true, enumerable: true, configurable: true });
    };
    // A function with a body segment has blocks: it is no declaration, and
    // asking so does not decode it (an own accessor; a delete later would
    // turn the object into a slow dictionary one).
    Object.defineProperty(f, "isDeclaration", { enumerable: false, configurable: true, get: () => decoded && f.blocks.length === 0 });
    Object.defineProperty(f, key, {
      enumerable: true, configurable: true,
      get() {
        fill(bodyOf(k));
        setParents(f);
        opts.onBody?.(f);
        return f.blocks;
      },
      set(v: BasicBlock[]) { fill(v); },
    });
  }
  return m;
}
