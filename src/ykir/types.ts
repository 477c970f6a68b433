// ykir types: the LLVM 19 type system as far as C needs it. Literal types are
// interned (so `a === b` means "same type" for them); named structs belong to
// a module and are compared by identity. `typeEquals` compares any two types.

export abstract class Type {
  abstract readonly kind: string;
  /** LLVM text form of the type (named structs print as their %name). */
  abstract toString(): string;
  isVoid(): boolean { return this.kind === "void"; }
  isInt(bits?: number): boolean { return this.kind === "int" && (bits === undefined || (this as unknown as IntType).bits === bits); }
  isFloatingPoint(): boolean { return this.kind === "float"; }
  isPtr(): boolean { return this.kind === "ptr"; }
  isVector(): boolean { return this.kind === "vector"; }
  isAggregate(): boolean { return this.kind === "struct" || this.kind === "array"; }
}

export type FloatKind = "half" | "bfloat" | "float" | "double" | "x86_fp80" | "fp128" | "ppc_fp128";
export const FLOAT_BITS: Record<FloatKind, number> = {
  half: 16, bfloat: 16, float: 32, double: 64, x86_fp80: 80, fp128: 128, ppc_fp128: 128,
};

export class IntType extends Type {
  readonly kind = "int";
  constructor(readonly bits: number) { super(); }
  toString(): string { return `i${this.bits}`; }
}
export class FloatType extends Type {
  readonly kind = "float";
  constructor(readonly fkind: FloatKind) { super(); }
  get bits(): number { return FLOAT_BITS[this.fkind]; }
  toString(): string { return this.fkind; }
}
export class PtrType extends Type {
  readonly kind = "ptr";
  constructor(readonly addrspace: number) { super(); }
  toString(): string { return this.addrspace === 0 ? "ptr" : `ptr addrspace(${this.addrspace})`; }
}
/** void, label, metadata, token, x86_amx, x86_mmx: types without parameters. */
export class SimpleType extends Type {
  constructor(readonly kind: "void" | "label" | "metadata" | "token" | "x86_amx" | "x86_mmx") { super(); }
  toString(): string { return this.kind; }
}
export class ArrayType extends Type {
  readonly kind = "array";
  constructor(readonly length: number, readonly elem: Type) { super(); }
  toString(): string { return `[${this.length} x ${this.elem}]`; }
}
export class VectorType extends Type {
  readonly kind = "vector";
  constructor(readonly length: number, readonly elem: Type, readonly scalable: boolean) { super(); }
  toString(): string { return `<${this.scalable ? "vscale x " : ""}${this.length} x ${this.elem}>`; }
}
/**
 * Struct types. A literal struct (name === null) is interned; a named struct
 * is created once per module (Module.namedTypes) and may be opaque (elems null).
 */
export class StructType extends Type {
  readonly kind = "struct";
  constructor(public name: string | null, public elems: Type[] | null, public packed: boolean) { super(); }
  get isOpaque(): boolean { return this.elems === null; }
  /** The body as LLVM writes it: `{ i32, ptr }`, `<{ i8 }>`, `opaque`. */
  bodyString(): string {
    if (this.elems === null) return "opaque";
    const inner = this.elems.length === 0 ? "{}" : `{ ${this.elems.join(", ")} }`;
    return this.packed ? `<${inner}>` : inner;
  }
  toString(): string {
    if (this.name === null) return this.bodyString();
    return /^\d+$/.test(this.name) ? `%${this.name}` : `%${quoteName(this.name)}`;
  }
}
export class FunctionType extends Type {
  readonly kind = "function";
  constructor(readonly ret: Type, readonly params: Type[], readonly varargs: boolean) { super(); }
  toString(): string {
    const ps = this.params.map(String);
    if (this.varargs) ps.push("...");
    return `${this.ret} (${ps.join(", ")})`;
  }
}
/** target("name", types..., ints...) types: kept by their text. */
export class TargetExtType extends Type {
  readonly kind = "target";
  constructor(readonly text: string) { super(); }
  toString(): string { return this.text; }
}

// ---- interning ----------------------------------------------------------------
const interned = new Map<string, Type>();
function intern<T extends Type>(key: string, make: () => T): T {
  let t = interned.get(key);
  if (t === undefined) { t = make(); interned.set(key, t); }
  return t as T;
}
export const intType = (bits: number): IntType => intern(`i${bits}`, () => new IntType(bits));
export const floatType = (k: FloatKind): FloatType => intern(k, () => new FloatType(k));
export const ptrType = (as = 0): PtrType => intern(`ptr${as}`, () => new PtrType(as));
export const simpleType = (k: SimpleType["kind"]): SimpleType => intern(k, () => new SimpleType(k));
/** Identity key of a type: named structs are keyed by an id unique to the object. */
const namedIds = new WeakMap<StructType, number>();
let nextNamedId = 0;
export function typeKey(t: Type): string {
  if (t instanceof StructType && t.name !== null) {
    let id = namedIds.get(t);
    if (id === undefined) { id = nextNamedId++; namedIds.set(t, id); }
    return `%#${id}`;
  }
  switch (t.kind) {
    case "array": { const a = t as ArrayType; return `[${a.length}x${typeKey(a.elem)}]`; }
    case "vector": { const v = t as VectorType; return `<${v.scalable ? "s" : ""}${v.length}x${typeKey(v.elem)}>`; }
    case "struct": { const s = t as StructType; return `${s.packed ? "<" : ""}{${s.elems!.map(typeKey).join(",")}}`; }
    case "function": { const f = t as FunctionType; return `fn(${typeKey(f.ret)};${f.params.map(typeKey).join(",")}${f.varargs ? ",..." : ""})`; }
    default: return t.toString();
  }
}
export const arrayType = (n: number, elem: Type): ArrayType => intern(`[${n}x${typeKey(elem)}]`, () => new ArrayType(n, elem));
export const vectorType = (n: number, elem: Type, scalable = false): VectorType =>
  intern(`<${scalable ? "s" : ""}${n}x${typeKey(elem)}>`, () => new VectorType(n, elem, scalable));
export const structType = (elems: Type[], packed = false): StructType =>
  intern(`${packed ? "<" : ""}{${elems.map(typeKey).join(",")}}`, () => new StructType(null, elems, packed));
export const functionType = (ret: Type, params: Type[], varargs = false): FunctionType =>
  intern(`fn(${typeKey(ret)};${params.map(typeKey).join(",")}${varargs ? ",..." : ""})`, () => new FunctionType(ret, params, varargs));
export const targetExtType = (text: string): TargetExtType => intern(`target:${text}`, () => new TargetExtType(text));

/** Returns the canonical (interned) instance of a structurally equal literal type. */
export function canonicalType(t: Type): Type {
  switch (t.kind) {
    case "int": return intType((t as IntType).bits);
    case "float": return floatType((t as FloatType).fkind);
    case "ptr": return ptrType((t as PtrType).addrspace);
    case "array": { const a = t as ArrayType; return arrayType(a.length, canonicalType(a.elem)); }
    case "vector": { const v = t as VectorType; return vectorType(v.length, canonicalType(v.elem), v.scalable); }
    case "struct": {
      const s = t as StructType;
      return s.name !== null ? s : structType(s.elems!.map(canonicalType), s.packed);
    }
    case "function": { const f = t as FunctionType; return functionType(canonicalType(f.ret), f.params.map(canonicalType), f.varargs); }
    case "target": return targetExtType((t as TargetExtType).text);
    default: return simpleType(t.kind as SimpleType["kind"]);
  }
}

export function typeEquals(a: Type, b: Type): boolean { return a === b || typeKey(a) === typeKey(b); }

export const i1 = intType(1), i8 = intType(8), i16 = intType(16), i32 = intType(32), i64 = intType(64);
export const voidType = simpleType("void"), labelType = simpleType("label"), metadataType = simpleType("metadata");
export const ptr = ptrType(0);

/** Quotes an LLVM identifier (without its sigil) when it is not a plain name. */
export function quoteName(name: string): string {
  if (/^[-a-zA-Z$._][-a-zA-Z$._0-9]*$/.test(name)) return name;
  return `"${escapeString(name)}"`;
}
/** LLVM's string escaping: printable ASCII except `"` and `\` as is, the rest as \XX. */
export function escapeString(s: string): string {
  // Written byte by byte into a buffer (a trace's deopt table is a string
  // of megabytes, most of it escaped); characters above 0xff, which only
  // hand-built IR has, take the slow way.
  const out = new Uint8Array(s.length * 3);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c) out[n++] = c;
    else if (c < 0x100) { out[n++] = 0x5c; out[n++] = HEX[c >> 4]!; out[n++] = HEX[c & 15]!; }
    else return escapeWide(s);
  }
  return n === s.length ? s : Buffer.from(out.buffer, 0, n).toString("latin1");
}
const HEX = Array.from("0123456789ABCDEF", (c) => c.charCodeAt(0));
function escapeWide(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c) out += s[i];
    else out += "\\" + c.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}
