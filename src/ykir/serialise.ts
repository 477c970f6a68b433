// Compact, versioned serialised form of a ykir module, loaded by the JIT at
// run time (it must not re-parse LLVM text). The object graph is written as
// JSON tables (see docs/ykir.md, "Serialised format"):
//   { format: "ykir", version, classes: [name...], keys: [[field...]...],
//     types: [entry...], objs: [[class, keyset, value...]...], root }
// Every ykir object (values, blocks, functions, attribute records, metadata
// records, ...) is one row of `objs`; its fields are listed once per distinct
// key set. A field value is encoded as:
//   object reference → its row index (a bare JSON number)
//   number → [1, n]   array → [0, items...]   bigint → [2, "digits"]
//   type → [3, type index]   string / boolean / null → itself
// Types are a separate table in dependency order and are re-interned on load,
// so literal types keep their identity (`t === i32`) after loading.
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

export const YKIR_FORMAT_VERSION = 1;

export class YkirLoadError extends Error {}

// Registry of classes that may appear in the graph; "Object" is a plain record.
const CLASSES: Record<string, { prototype: object }> = {
  Object, Module, Function, GlobalVariable, GlobalAlias, GlobalIFunc, BasicBlock, Comdat, Argument, InlineAsm,
  MetadataOperand, Instruction, DebugRecord, ConstantInt, ConstantFP, ConstantNull, ConstantUndef, ConstantPoison,
  ConstantZero, ConstantNone, ConstantString, ConstantAggregate, ConstantSplat, BlockAddress, DSOLocalEquivalent, NoCFIValue,
  ConstantExpr, AttributeGroup, MDNode, NamedMD, MDAttachment, TBAAType, TBAATag,
};
const CLASS_NAME = new Map<object, string>(Object.entries(CLASSES).map(([n, c]) => [c.prototype, n]));

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Serialises a module to bytes (UTF-8 JSON). */
export function serialiseModule(m: Module): Uint8Array {
  return new TextEncoder().encode(serialiseModuleToString(m));
}

export function serialiseModuleToString(m: Module): string {
  const classes: string[] = [], classIdx = new Map<string, number>();
  const keysets: string[][] = [], keysetIdx = new Map<string, number>();
  const types: Json[] = [], typeIdx = new Map<Type, number>();
  const objs: Json[][] = [];
  const objIdx = new Map<object, number>();
  const queue: object[] = [];

  const typeRef = (t: Type): number => {
    const known = typeIdx.get(t);
    if (known !== undefined) return known;
    let e: Json;
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
          // reserve the slot first: the body is filled on load in a second pass
          const idx = types.length;
          types.push(null); typeIdx.set(t, idx);
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

  const ref = (o: object): number => {
    let idx = objIdx.get(o);
    if (idx === undefined) { idx = objIdx.size; objIdx.set(o, idx); queue.push(o); }
    return idx;
  };

  const enc = (v: unknown): Json => {
    switch (typeof v) {
      case "string": case "boolean": return v;
      case "number": return [1, v];
      case "bigint": return [2, v.toString()];
      case "object":
        if (v === null) return null;
        if (Array.isArray(v)) { const a: Json[] = [0]; for (const x of v) a.push(enc(x)); return a; }
        if (v instanceof T.Type) return [3, typeRef(v)];
        return ref(v);
    }
    throw new Error(`serialise: cannot encode a ${typeof v}`);
  };

  ref(m);
  for (let q = 0; q < queue.length; q++) {
    const o = queue[q]!;
    const proto = Object.getPrototypeOf(o);
    const cname = CLASS_NAME.get(proto);
    if (cname === undefined) throw new Error(`serialise: unexpected object of class ${proto?.constructor?.name}`);
    let ci = classIdx.get(cname);
    if (ci === undefined) {
      ci = classes.length; classIdx.set(cname, ci);
      const vk = (o as { vkind?: string }).vkind;
      classes.push(vk === undefined ? cname : `${cname}:${vk}`);
    }
    const keys: string[] = [];
    const row: Json[] = [ci, 0];
    for (const k in o) {
      // vkind is the same for every object of a class (kept in the class table); parent links are rebuilt on load
      if (k === "vkind" || k === "parent") continue;
      const v = (o as Record<string, unknown>)[k];
      if (v === undefined || typeof v === "function") continue;
      keys.push(k);
      row.push(enc(v));
    }
    const kk = keys.join(",");
    let ki = keysetIdx.get(kk);
    if (ki === undefined) { ki = keysets.length; keysets.push(keys); keysetIdx.set(kk, ki); }
    row[1] = ki;
    objs.push(row);
  }
  return JSON.stringify({ format: "ykir", version: YKIR_FORMAT_VERSION, classes, keys: keysets, types, objs, root: 0 });
}

/** Loads a module written by serialiseModule. */
export function loadModule(data: Uint8Array | string): Module {
  const text = typeof data === "string" ? data : new TextDecoder().decode(data);
  let doc: { format?: string; version?: number; classes: string[]; keys: string[][]; types: Json[][]; objs: Json[][]; root: number };
  try { doc = JSON.parse(text); } catch (e) { throw new YkirLoadError(`not a serialised ykir module (${(e as Error).message})`); }
  if (doc.format !== "ykir") throw new YkirLoadError("not a serialised ykir module (missing format tag)");
  if (doc.version !== YKIR_FORMAT_VERSION) throw new YkirLoadError(`serialised ykir version ${doc.version}, this ykts reads version ${YKIR_FORMAT_VERSION}`);

  // types: named structs first (they may be referenced before their body), then in order
  const types: Type[] = new Array(doc.types.length);
  doc.types.forEach((e, k) => { if (e[0] === "N") types[k] = new T.StructType(e[1] as string, null, e[3] as boolean); });
  doc.types.forEach((e, k) => {
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
  doc.types.forEach((e, k) => {
    if (e[0] === "N" && e[2] !== null) (types[k] as T.StructType).elems = (e[2] as number[]).map((i) => types[i]!);
  });

  const protos = doc.classes.map((c) => {
    const [name, vkind] = c.split(":");
    const cls = CLASSES[name!];
    if (!cls) throw new YkirLoadError(`unknown class '${name}' in serialised ykir`);
    return { proto: cls.prototype, vkind };
  });
  const objs: Record<string, unknown>[] = doc.objs.map((row) => {
    const c = protos[row[0] as number]!;
    const o = Object.create(c.proto);
    if (c.vkind !== undefined) o.vkind = c.vkind;
    return o;
  });
  const dec = (v: Json): unknown => {
    if (typeof v === "number") return objs[v];
    if (v === null || typeof v !== "object") return v;
    const a = v as Json[];
    switch (a[0]) {
      case 0: { const out = new Array(a.length - 1); for (let k = 1; k < a.length; k++) out[k - 1] = dec(a[k]!); return out; }
      case 1: return a[1];
      case 2: return BigInt(a[1] as string);
      case 3: return types[a[1] as number];
    }
    throw new YkirLoadError(`bad value ${JSON.stringify(v)}`);
  };
  const keys = doc.keys;
  for (let k = 0; k < objs.length; k++) {
    const row = doc.objs[k]!;
    const o = objs[k]!;
    const ks = keys[row[1] as number]!;
    for (let j = 0; j < ks.length; j++) o[ks[j]!] = dec(row[j + 2]!);
  }
  const m = objs[doc.root] as unknown as Module;
  for (const f of m.functions)
    for (const b of f.blocks) {
      b.parent = f;
      for (const i of b.instructions) i.parent = b;
    }
  return m;
}
