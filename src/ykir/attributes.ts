// Attributes of functions, parameters, return values and call sites, and the
// attribute groups (`attributes #N = { ... }`) that functions and calls share.
// Kept as a list of small records: later stages ask for a few (memory effects,
// noreturn, nounwind, willreturn, "annotate"-style strings); the rest are only
// printed back, exactly as they came in.
import type { Type } from "./types.js";

export type MemoryAccess = "none" | "read" | "write" | "readwrite";
/** `memory(...)`: the default access plus per-location overrides. */
export interface MemoryEffects {
  default: MemoryAccess;
  argmem?: MemoryAccess;
  inaccessiblemem?: MemoryAccess;
}

export interface Attr {
  /** Attribute keyword (`nounwind`, `align`, `byval`, ...) or, when str is set, the string key. */
  kind: string;
  /** A string attribute `"key"` or `"key"="value"`. */
  str?: boolean;
  value?: string;
  /** Integer argument: `align 4` (form " "), `dereferenceable(8)` (form "("), `alignstack=16` (form "=", attribute groups). */
  int?: number;
  form?: " " | "(" | "=";
  /** Type argument: `byval(%struct.S)`, `sret(...)`, `elementtype(i32)`. */
  type?: Type;
  /** Any other parenthesised argument kept as text: `uwtable(sync)`, `range(i32 0, 5)`. */
  text?: string;
  memory?: MemoryEffects;
}

export type AttrList = Attr[];

/** `attributes #id = { ... }`: shared by functions and call sites by reference. */
export class AttributeGroup {
  constructor(public id: number, public attrs: AttrList) {}
}

/** Attribute keywords whose parenthesised argument is a type. */
export const TYPE_ATTRS = new Set(["byval", "byref", "sret", "inalloca", "preallocated", "elementtype"]);

export function printMemory(m: MemoryEffects): string {
  const parts: string[] = [];
  const over: string[] = [];
  for (const loc of ["argmem", "inaccessiblemem"] as const) {
    const a = m[loc];
    if (a !== undefined && a !== m.default) over.push(`${loc}: ${a}`);
  }
  if (over.length === 0 || m.default !== "none") parts.push(m.default);
  return `memory(${[...parts, ...over].join(", ")})`;
}

export function printAttr(a: Attr): string {
  if (a.str) return a.value === undefined ? `"${escAttr(a.kind)}"` : `"${escAttr(a.kind)}"="${escAttr(a.value)}"`;
  if (a.memory) return printMemory(a.memory);
  if (a.type) return `${a.kind}(${a.type})`;
  if (a.int !== undefined) return a.form === "(" ? `${a.kind}(${a.int})` : a.form === "=" ? `${a.kind}=${a.int}` : `${a.kind} ${a.int}`;
  if (a.text !== undefined) return `${a.kind}(${a.text})`;
  return a.kind;
}
function escAttr(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c ? s[i] : "\\" + c.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}
export function printAttrs(list: AttrList | undefined): string { return list ? list.map(printAttr).join(" ") : ""; }

export function findAttr(list: AttrList | undefined, kind: string): Attr | undefined {
  return list?.find((a) => a.kind === kind);
}

/** All function attributes of a function or call site: inline ones plus those of its groups. */
export function allFnAttrs(x: { fnAttrs?: AttrList; attrGroups?: AttributeGroup[] }): AttrList {
  const out: AttrList = [...(x.fnAttrs ?? [])];
  for (const g of x.attrGroups ?? []) out.push(...g.attrs);
  return out;
}

/** Memory effects implied by a function attribute list (`memory(...)`, or old-style readnone/readonly). */
export function memoryEffects(list: AttrList): MemoryEffects {
  const m = list.find((a) => a.memory)?.memory;
  if (m) return m;
  if (list.some((a) => a.kind === "readnone" && !a.str)) return { default: "none" };
  if (list.some((a) => a.kind === "readonly" && !a.str)) return { default: "read" };
  if (list.some((a) => a.kind === "writeonly" && !a.str)) return { default: "write" };
  return { default: "readwrite" };
}

export function parseMemoryAccess(s: string): MemoryAccess | null {
  return s === "none" || s === "read" || s === "write" || s === "readwrite" ? s : null;
}
