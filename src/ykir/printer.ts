// ykir → LLVM 19 textual IR. Unnamed values, blocks and globals are numbered
// here, in LLVM's order, so IR built or changed programmatically prints
// correctly without anyone keeping numbers up to date. Metadata nodes and
// attribute group ids are printed with the ids they carry.
import type { Value, MetadataOperand, InlineAsm, Argument } from "./value.js";
import type { Type, FunctionType } from "./types.js";
import { quoteName, escapeString } from "./types.js";
import type { Constant, ConstantInt, ConstantFP, ConstantString, ConstantAggregate, BlockAddress, ConstantExpr } from "./constants.js";
import type { Instruction, DebugRecord } from "./instruction.js";
import type { Module, Function, GlobalVariable, GlobalAlias, GlobalIFunc, GlobalValue, BasicBlock } from "./module.js";
import { printAttrs, type AttrList, type AttributeGroup } from "./attributes.js";
import type { MDAttachment } from "./metadata.js";

const CAST_OPS = new Set(["trunc", "zext", "sext", "fptrunc", "fpext", "fptoui", "fptosi", "uitofp", "sitofp",
  "ptrtoint", "inttoptr", "bitcast", "addrspacecast"]);

/** Prints a whole module. */
export function printModule(m: Module): string {
  return new Printer(m).module();
}
/** Prints one function (definition or declaration) in the context of its module. */
export function printFunction(f: Function, m?: Module): string {
  return new Printer(m).function(f);
}
/** Prints one instruction; values are numbered as in its function. */
export function printInstruction(inst: Instruction, m?: Module): string {
  const p = new Printer(m);
  const f = inst.parent?.parent;
  if (f) p.enterFunction(f);
  return p.instruction(inst);
}
/** Prints a value as an operand reference (`%x`, `@g`, `i32 5` without the type). */
export function printValueRef(v: Value, m?: Module): string { return new Printer(m).ref(v); }

export class Printer {
  private globalSlots = new Map<GlobalValue, number>();
  private fnSlots = new Map<Function, Map<Value, number>>();
  private slots: Map<Value, number> = new Map();
  /** Per function: printed names of values whose name repeats an earlier one (LLVM names must be unique). */
  private fnRenames = new Map<Function, Map<Value, string>>();
  private renames: Map<Value, string> = new Map();

  constructor(private m?: Module) {
    if (m) {
      let n = 0;
      for (const list of [m.globals, m.aliases, m.ifuncs, m.functions] as GlobalValue[][])
        for (const g of list) if (g.name === null) this.globalSlots.set(g, n++);
    }
  }

  /** Numbers a function's unnamed arguments, blocks and results (LLVM's slot order). */
  private slotsOf(f: Function): Map<Value, number> {
    let s = this.fnSlots.get(f);
    if (s) return s;
    s = new Map();
    const renames = new Map<Value, string>();
    const used = new Set<string>();
    // IR built programmatically may reuse a name: print later ones as name.1, name.2, ...
    const named = (v: Value, name: string): void => {
      if (!used.has(name)) { used.add(name); return; }
      let k = 1;
      while (used.has(`${name}.${k}`)) k++;
      used.add(`${name}.${k}`);
      renames.set(v, `${name}.${k}`);
    };
    let n = 0;
    for (const a of f.args) if (a.name === null) s.set(a, n++); else named(a, a.name);
    for (const b of f.blocks) {
      if (b.name === null) s.set(b, n++); else named(b, b.name);
      for (const i of b.instructions) {
        if (i.type.kind === "void") continue;
        if (i.name === null) s.set(i, n++); else named(i, i.name);
      }
    }
    this.fnSlots.set(f, s);
    this.fnRenames.set(f, renames);
    return s;
  }
  enterFunction(f: Function): void { this.slots = this.slotsOf(f); this.renames = this.fnRenames.get(f)!; }

  // ---- module -----------------------------------------------------------------------
  module(): string {
    const m = this.m!;
    const out: string[] = [];
    if (m.sourceFilename !== undefined) out.push(`source_filename = "${escapeString(m.sourceFilename)}"`);
    if (m.datalayout !== undefined) out.push(`target datalayout = "${escapeString(m.datalayout)}"`);
    if (m.triple !== undefined) out.push(`target triple = "${escapeString(m.triple)}"`);
    for (const a of m.moduleAsm) out.push(`module asm "${escapeString(a)}"`);
    if (out.length) out.push("");
    for (const t of m.namedTypes) out.push(`${t} = type ${t.bodyString()}`);
    if (m.namedTypes.length) out.push("");
    for (const c of m.comdats) out.push(`$${quoteName(c.name)} = comdat ${c.kind}`);
    if (m.comdats.length) out.push("");
    for (const g of m.globals) out.push(this.globalVar(g));
    if (m.globals.length) out.push("");
    for (const a of m.aliases) out.push(this.alias(a));
    for (const a of m.ifuncs) out.push(this.ifunc(a));
    if (m.aliases.length || m.ifuncs.length) out.push("");
    for (const f of m.functions) { out.push(this.function(f)); out.push(""); }
    for (const g of m.attrGroups) out.push(`attributes #${g.id} = { ${printAttrs(g.attrs)} }`);
    if (m.attrGroups.length) out.push("");
    for (const n of m.namedMD) out.push(`!${quoteMDName(n.name)} = ${n.text}`);
    if (m.namedMD.length) out.push("");
    for (const n of m.mdNodes) out.push(`!${n.id} = ${n.text}`);
    if (m.summary.length) out.push("");
    for (const e of m.summary) out.push(`^${e.id} = ${e.text}`);
    return out.join("\n") + "\n";
  }

  private gname(g: GlobalValue): string {
    if (g.name !== null) return `@${quoteName(g.name)}`;
    const n = this.globalSlots.get(g);
    return n === undefined ? "@<unnumbered global>" : `@${n}`;
  }

  private gvPrefix(g: GlobalValue, withUnnamedAddr = true): string {
    let s = "";
    if (g.linkage) s += g.linkage + " ";
    if (g.preemption) s += g.preemption + " ";
    if (g.visibility) s += g.visibility + " ";
    if (g.dllStorage) s += g.dllStorage + " ";
    if (g.threadLocal) s += g.threadLocal + " ";
    if (withUnnamedAddr && g.unnamedAddr) s += g.unnamedAddr + " ";
    return s;
  }

  globalVar(g: GlobalVariable): string {
    let s = `${this.gname(g)} = `;
    if (!g.linkage && g.initializer === null) s += "external ";
    s += this.gvPrefix(g);
    if (g.addrspace) s += `addrspace(${g.addrspace}) `;
    if (g.externallyInitialized) s += "externally_initialized ";
    s += `${g.isConstantGlobal ? "constant" : "global"} ${g.valueType}`;
    if (g.initializer) s += " " + this.ref(g.initializer);
    if (g.section !== undefined) s += `, section "${escapeString(g.section)}"`;
    if (g.partition !== undefined) s += `, partition "${escapeString(g.partition)}"`;
    if (g.comdat) s += g.comdat.name === g.name ? ", comdat" : `, comdat($${quoteName(g.comdat.name)})`;
    if (g.align !== undefined) s += `, align ${g.align}`;
    if (g.codeModel !== undefined) s += `, code_model "${g.codeModel}"`;
    for (const k of g.sanitizer ?? []) s += `, ${k}`;
    s += this.attachments(g.md, true);
    if (g.attrGroups?.length) s += " " + g.attrGroups.map((a) => `#${a.id}`).join(" ");
    return s;
  }

  alias(a: GlobalAlias): string {
    let s = `${this.gname(a)} = ${this.gvPrefix(a)}alias ${a.valueType}, ${this.typed(a.aliasee)}`;
    if (a.partition !== undefined) s += `, partition "${escapeString(a.partition)}"`;
    return s + this.attachments(a.md, true);
  }
  ifunc(a: GlobalIFunc): string {
    let s = `${this.gname(a)} = ${this.gvPrefix(a)}ifunc ${a.valueType}, ${this.typed(a.resolver)}`;
    if (a.partition !== undefined) s += `, partition "${escapeString(a.partition)}"`;
    return s + this.attachments(a.md, true);
  }

  function(f: Function): string {
    this.enterFunction(f);
    const decl = f.isDeclaration;
    let s = decl ? `declare${this.attachments(f.md, false)} ` : "define ";
    s += this.gvPrefix(f, false);
    if (f.cconv) s += f.cconv + " ";
    if (f.retAttrs.length) s += printAttrs(f.retAttrs) + " ";
    s += `${f.fnType.ret} ${this.gname(f)}(`;
    const ps = f.args.map((a) => {
      let p = String(a.type);
      if (a.attrs.length) p += " " + printAttrs(a.attrs);
      if (!decl || a.name !== null) p += " " + this.ref(a);
      return p;
    });
    if (f.fnType.varargs) ps.push("...");
    s += ps.join(", ") + ")";
    if (f.unnamedAddr) s += " " + f.unnamedAddr;
    if (f.addrspace) s += ` addrspace(${f.addrspace})`;
    if (f.fnAttrs.length) s += " " + printAttrs(f.fnAttrs);
    for (const g of f.attrGroups) s += ` #${g.id}`;
    if (f.section !== undefined) s += ` section "${escapeString(f.section)}"`;
    if (f.partition !== undefined) s += ` partition "${escapeString(f.partition)}"`;
    if (f.comdat) s += f.comdat.name === f.name ? " comdat" : ` comdat($${quoteName(f.comdat.name)})`;
    if (f.align !== undefined) s += ` align ${f.align}`;
    if (f.gc !== undefined) s += ` gc "${escapeString(f.gc)}"`;
    if (f.prefix) s += ` prefix ${this.typed(f.prefix)}`;
    if (f.prologue) s += ` prologue ${this.typed(f.prologue)}`;
    if (f.personality) s += ` personality ${this.typed(f.personality)}`;
    if (decl) return s;
    s += this.attachments(f.md, false);
    const lines = [s + " {"];
    f.blocks.forEach((b, bi) => {
      if (bi > 0) lines.push("");
      if (b.name !== null) lines.push(`${quoteName(this.renames.get(b) ?? b.name)}:`);
      else if (bi > 0) lines.push(`${this.slots.get(b)}:`);
      for (const i of b.instructions) {
        for (const r of i.dbg ?? []) lines.push("    " + this.debugRecord(r));
        lines.push("  " + this.instruction(i));
      }
    });
    lines.push("}");
    return lines.join("\n");
  }

  debugRecord(r: DebugRecord): string {
    return `#dbg_${r.kind}(${r.args.map((a) => this.ref(a)).join(", ")})`;
  }

  private attachments(md: MDAttachment[] | undefined, comma: boolean): string {
    if (!md) return "";
    let s = "";
    for (const a of md) s += `${comma ? "," : ""} !${quoteMDName(a.kind)} ${a.ref}`;
    return s;
  }

  // ---- values -------------------------------------------------------------------------
  /** An operand without its type. */
  ref(v: Value): string {
    switch (v.vkind) {
      case "arg": case "inst": case "block": {
        const name = (v as Argument).name;
        if (name !== null) return `%${quoteName(this.renames.get(v) ?? name)}`;
        const n = this.slots.get(v);
        return n === undefined ? "%<badref>" : `%${n}`;
      }
      case "function": case "global": case "alias": case "ifunc": return this.gname(v as GlobalValue);
      case "md": return this.mdRef(v as MetadataOperand);
      case "asm": {
        const a = v as InlineAsm;
        return `asm ${a.flags.map((f) => f + " ").join("")}"${escapeString(a.asm)}", "${escapeString(a.constraints)}"`;
      }
      case "fwd": return `%<unresolved ${(v as unknown as { name: string }).name}>`;
      default: return this.constant(v as Constant);
    }
  }
  /** `type value`. */
  typed(v: Value): string {
    return `${v.type} ${this.ref(v)}`;
  }
  private mdRef(m: MetadataOperand): string {
    if (m.text !== undefined) return m.text;
    if (m.value) return this.typed(m.value);
    return `!DIArgList(${m.args!.map((a) => this.typed(a)).join(", ")})`;
  }

  constant(c: Constant): string {
    switch (c.vkind) {
      case "int": {
        const ci = c as ConstantInt;
        const bits = (c.type as unknown as { bits: number }).bits;
        if (bits === 1) return ci.value & 1n ? "true" : "false";
        return BigInt.asIntN(bits, ci.value).toString();
      }
      case "fp": return (c as ConstantFP).text;
      case "null": return "null";
      case "undef": return "undef";
      case "poison": return "poison";
      case "zero": return "zeroinitializer";
      case "none": return "none";
      case "string": return `c"${escapeString((c as ConstantString).data)}"`;
      case "aggregate": {
        const a = c as ConstantAggregate;
        const body = a.elems.map((e) => this.typed(e)).join(", ");
        const t = a.type;
        if (t.kind === "array") return `[${body}]`;
        if (t.kind === "vector") return `<${body}>`;
        const packed = (t as { packed?: boolean }).packed;
        const inner = a.elems.length ? `{ ${body} }` : "{}";
        return packed ? `<${inner}>` : inner;
      }
      case "splat": return `splat (${this.typed((c as unknown as { value: Constant }).value)})`;
      case "blockaddress": {
        const ba = c as BlockAddress;
        const b = ba.block;
        let bname: string;
        const slot = this.slotsOf(ba.fn).get(b);
        bname = b.name === null ? `%${slot}` : `%${quoteName(this.fnRenames.get(ba.fn)!.get(b) ?? b.name)}`;
        return `blockaddress(${this.gname(ba.fn)}, ${bname})`;
      }
      case "dsolocal": return `dso_local_equivalent ${this.ref((c as unknown as { global: Constant }).global)}`;
      case "nocfi": return `no_cfi ${this.ref((c as unknown as { global: Constant }).global)}`;
      case "expr": return this.constExpr(c as ConstantExpr);
      default: return this.ref(c);
    }
  }

  private constExpr(e: ConstantExpr): string {
    let s = e.opcode;
    for (const f of e.flags) s += " " + f;
    if (e.inrange) s += ` inrange(${e.inrange[0]}, ${e.inrange[1]})`;
    if (e.predicate) s += " " + e.predicate;
    if (CAST_OPS.has(e.opcode)) return `${s} (${this.typed(e.operands[0]!)} to ${e.type})`;
    if (e.opcode === "getelementptr") {
      return `${s} (${[String(e.elemType), ...e.operands.map((o) => this.typed(o))].join(", ")})`;
    }
    return `${s} (${e.operands.map((o) => this.typed(o)).join(", ")})`;
  }

  // ---- instructions -------------------------------------------------------------------------
  private blockRef(b: BasicBlock): string { return `label ${this.ref(b)}`; }
  private flags(i: Instruction): string { return i.flags.length ? " " + i.flags.join(" ") : ""; }
  private atomic(i: Instruction): string {
    let s = "";
    if (i.syncscope !== undefined) s += ` syncscope("${escapeString(i.syncscope)}")`;
    if (i.ordering) s += " " + i.ordering;
    if (i.failureOrdering) s += " " + i.failureOrdering;
    return s;
  }
  private align(i: Instruction): string { return i.align !== undefined ? `, align ${i.align}` : ""; }

  instruction(i: Instruction): string {
    let s = "";
    if (i.type.kind !== "void") s = `${this.ref(i)} = `;
    const ops = i.operands;
    const op = i.opcode;
    switch (op) {
      case "ret": s += ops.length ? `ret ${this.typed(ops[0]!)}` : "ret void"; break;
      case "br":
        s += ops.length
          ? `br ${this.typed(ops[0]!)}, ${this.blockRef(i.blocks[0]!)}, ${this.blockRef(i.blocks[1]!)}`
          : `br ${this.blockRef(i.blocks[0]!)}`;
        break;
      case "switch": {
        s += `switch ${this.typed(ops[0]!)}, ${this.blockRef(i.blocks[0]!)} [`;
        for (let k = 1; k < ops.length; k++) s += `\n    ${this.typed(ops[k]!)}, ${this.blockRef(i.blocks[k]!)}`;
        s += "\n  ]";
        break;
      }
      case "indirectbr": s += `indirectbr ${this.typed(ops[0]!)}, [${i.blocks.map((b) => this.blockRef(b)).join(", ")}]`; break;
      case "unreachable": s += "unreachable"; break;
      case "resume": s += `resume ${this.typed(ops[0]!)}`; break;
      case "icmp": case "fcmp":
        s += `${op}${this.flags(i)} ${i.predicate} ${ops[0]!.type} ${this.ref(ops[0]!)}, ${this.ref(ops[1]!)}`;
        break;
      case "phi":
        s += `phi${this.flags(i)} ${i.type} ` + ops.map((v, k) => `[ ${this.ref(v)}, ${this.ref(i.blocks[k]!)} ]`).join(", ");
        break;
      case "select": s += `select${this.flags(i)} ${ops.map((o) => this.typed(o)).join(", ")}`; break;
      case "alloca": {
        s += `alloca${this.flags(i)} ${i.elemType}`;
        if (ops.length) s += `, ${this.typed(ops[0]!)}`;
        s += this.align(i);
        if (i.addrspace) s += `, addrspace(${i.addrspace})`;
        break;
      }
      case "load": s += `load${this.flags(i)} ${i.type}, ${this.typed(ops[0]!)}${this.atomic(i)}${this.align(i)}`; break;
      case "store": s += `store${this.flags(i)} ${this.typed(ops[0]!)}, ${this.typed(ops[1]!)}${this.atomic(i)}${this.align(i)}`; break;
      case "fence": s += `fence${this.atomic(i)}`; break;
      case "cmpxchg":
        s += `cmpxchg${this.flags(i)} ${ops.map((o) => this.typed(o)).join(", ")}${this.atomic(i)}${this.align(i)}`;
        break;
      case "atomicrmw":
        s += `atomicrmw${this.flags(i)} ${i.rmwOp} ${this.typed(ops[0]!)}, ${this.typed(ops[1]!)}${this.atomic(i)}${this.align(i)}`;
        break;
      case "getelementptr":
        s += `getelementptr${this.flags(i)} ${i.elemType}, ${ops.map((o) => this.typed(o)).join(", ")}`;
        break;
      case "extractelement": case "insertelement": case "shufflevector":
        s += `${op} ${ops.map((o) => this.typed(o)).join(", ")}`;
        break;
      case "extractvalue": case "insertvalue":
        s += `${op} ${ops.map((o) => this.typed(o)).join(", ")}, ${i.indices!.join(", ")}`;
        break;
      case "va_arg": s += `va_arg ${this.typed(ops[0]!)}, ${i.type}`; break;
      case "fneg": case "freeze": s += `${op}${this.flags(i)} ${this.typed(ops[0]!)}`; break;
      case "call": case "invoke": case "callbr": s += this.call(i); break;
      case "landingpad": {
        s += `landingpad ${i.type}`;
        if (i.cleanup) s += " cleanup";
        for (const c of i.clauses ?? []) s += ` ${c.kind} ${this.typed(c.value)}`;
        break;
      }
      default:
        if (CAST_OPS.has(op)) { s += `${op}${this.flags(i)} ${this.typed(ops[0]!)} to ${i.type}`; break; }
        if (ops.length === 2) { s += `${op}${this.flags(i)} ${ops[0]!.type} ${this.ref(ops[0]!)}, ${this.ref(ops[1]!)}`; break; }
        throw new Error(`printer: cannot print instruction '${op}'`);
    }
    return s + this.attachments(i.md, true);
  }

  private call(i: Instruction): string {
    const fnTy = i.fnType as FunctionType;
    let s = "";
    if (i.tail) s += i.tail + " ";
    s += i.opcode + this.flags(i);
    if (i.cconv) s += " " + i.cconv;
    if (i.retAttrs?.length) s += " " + printAttrs(i.retAttrs);
    if (i.addrspace) s += ` addrspace(${i.addrspace})`;
    s += " " + (fnTy.varargs ? String(fnTy) : String(fnTy.ret)) + " " + this.ref(i.callee) + "(";
    const args = i.operands;
    const parts: string[] = [];
    for (let k = 0; k < args.length - 1; k++) {
      const a = args[k]!;
      const attrs: AttrList | undefined = i.argAttrs?.[k];
      parts.push(`${a.type}${attrs?.length ? " " + printAttrs(attrs) : ""} ${this.ref(a)}`);
    }
    s += parts.join(", ") + ")";
    if (i.fnAttrs?.length) s += " " + printAttrs(i.fnAttrs);
    for (const g of i.attrGroups ?? ([] as AttributeGroup[])) s += ` #${g.id}`;
    if (i.bundles) s += ` [ ${i.bundles.map((b) => `"${escapeString(b.tag)}"(${b.values.map((v) => this.typed(v)).join(", ")})`).join(", ")} ]`;
    if (i.opcode === "invoke") s += ` to ${this.blockRef(i.blocks[0]!)} unwind ${this.blockRef(i.blocks[1]!)}`;
    if (i.opcode === "callbr") s += ` to ${this.blockRef(i.blocks[0]!)} [${i.blocks.slice(1).map((b) => this.blockRef(b)).join(", ")}]`;
    return s;
  }
}

function quoteMDName(name: string): string {
  return /^[-a-zA-Z$._][-a-zA-Z$._0-9]*$/.test(name) ? name : name.replace(/[^-a-zA-Z$._0-9]/g, (c) => "\\" + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0"));
}

export type { Type };
