// Metadata in ykir. Numbered nodes (`!5 = ...`) and named metadata
// (`!llvm.ident = ...`) are kept verbatim as text: nothing downstream needs to
// rewrite them and printing them back unchanged keeps debug info intact.
// Attachments (`!tbaa !5`) are records holding the referenced text; TBAA nodes
// are additionally parsed into a graph (scalar/struct type nodes, access tags)
// so alias analysis can use them.

/** `!N = [distinct] ...`: the text after `=`, exactly as read. */
export class MDNode {
  constructor(public id: number, public text: string) {}
}
/** `!name = !{...}`. */
export class NamedMD {
  constructor(public name: string, public text: string) {}
}

/** A metadata attachment on an instruction, function or global: `!kind ref`. */
export class MDAttachment {
  /** Resolved TBAA access tag when kind === "tbaa" and the node parsed. */
  declare tbaa?: TBAATag;
  constructor(public kind: string, public ref: string) {}
}

/** A TBAA type node: a name and (member type, offset) fields; scalars have their parent as the one field at 0. */
export class TBAAType {
  fields: { type: TBAAType; offset: bigint }[] = [];
  constructor(public id: number, public name: string) {}
  get isRoot(): boolean { return this.fields.length === 0; }
}
/** A TBAA access tag `!{base, access, offset[, const]}`. */
export class TBAATag {
  constructor(public id: number, public base: TBAAType, public access: TBAAType, public offset: bigint, public isConstant: boolean) {}
}

type MDElem = { ref: number } | { str: string } | { int: bigint } | { other: string };

/** Splits `!{a, b, c}` into elements; null if the text is not a plain tuple. */
export function parseMDTuple(text: string): MDElem[] | null {
  const t = text.trim();
  if (!t.startsWith("!{") || !t.endsWith("}")) return null;
  const body = t.slice(2, -1);
  const parts: string[] = [];
  let depth = 0, inStr = false, start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (inStr) { if (c === '"') inStr = false; continue; }
    if (c === '"') inStr = true;
    else if (c === "(" || c === "{" || c === "<" || c === "[") depth++;
    else if (c === ")" || c === "}" || c === ">" || c === "]") depth--;
    else if (c === "," && depth === 0) { parts.push(body.slice(start, i)); start = i + 1; }
  }
  if (body.trim() !== "") parts.push(body.slice(start));
  return parts.map((p): MDElem => {
    const s = p.trim();
    let m: RegExpMatchArray | null;
    if ((m = s.match(/^!(\d+)$/))) return { ref: Number(m[1]) };
    if ((m = s.match(/^!"(.*)"$/))) return { str: m[1]!.replace(/\\([0-9A-Fa-f]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))) };
    if ((m = s.match(/^i\d+ (-?\d+)$/))) return { int: BigInt(m[1]!) };
    return { other: s };
  });
}

/** Builds the TBAA graph of a module's numbered nodes, on demand, and resolves tags. */
export class TBAAResolver {
  private types = new Map<number, TBAAType | null>();
  private tags = new Map<number, TBAATag | null>();
  constructor(private nodes: Map<number, MDNode>) {}

  type(id: number): TBAAType | null {
    if (this.types.has(id)) return this.types.get(id)!;
    const node = this.nodes.get(id);
    const elems = node ? parseMDTuple(node.text) : null;
    if (!elems || elems.length === 0 || !("str" in elems[0]!)) { this.types.set(id, null); return null; }
    const t = new TBAAType(id, (elems[0] as { str: string }).str);
    this.types.set(id, t);
    for (let i = 1; i + 1 < elems.length; i += 2) {
      const e = elems[i]!, o = elems[i + 1]!;
      if (!("ref" in e) || !("int" in o)) break;
      const ft = this.type(e.ref);
      if (ft) t.fields.push({ type: ft, offset: o.int });
    }
    return t;
  }

  tag(id: number): TBAATag | null {
    if (this.tags.has(id)) return this.tags.get(id)!;
    const node = this.nodes.get(id);
    const e = node ? parseMDTuple(node.text) : null;
    let tag: TBAATag | null = null;
    if (e && e.length >= 3 && "ref" in e[0]! && "ref" in e[1]! && "int" in e[2]!) {
      const base = this.type(e[0].ref), access = this.type(e[1].ref);
      const isConst = e.length >= 4 && "int" in e[3]! && e[3].int !== 0n;
      if (base && access) tag = new TBAATag(id, base, access, e[2].int, isConst);
    }
    this.tags.set(id, tag);
    return tag;
  }
}
