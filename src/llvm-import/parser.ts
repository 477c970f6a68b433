// Parser from LLVM 19 textual IR (as clang-19 emits it for C) to ykir.
// Global names are collected in a pre-pass so that every reference to a
// function or variable resolves to the one object, whatever the order;
// local forward references (phis, branches) use placeholders replaced when
// the function is complete; blockaddress is resolved after the whole module.
import { Lexer, lineCol, unescape, IRSyntaxError, type Token } from "./lexer.js";
import * as T from "../ykir/types.js";
import type { Type, FunctionType } from "../ykir/types.js";
import { Value, Argument, InlineAsm, MetadataOperand, ForwardRef } from "../ykir/value.js";
import {
  Constant, ConstantInt, ConstantFP, ConstantNull, ConstantUndef, ConstantPoison, ConstantZero, ConstantNone,
  ConstantString, ConstantAggregate, ConstantSplat, BlockAddress, ConstantExpr, DSOLocalEquivalent, NoCFIValue,
} from "../ykir/constants.js";
import { Instruction, DebugRecord, type OperandBundle } from "../ykir/instruction.js";
import { Module, Function, GlobalVariable, GlobalAlias, GlobalIFunc, GlobalValue, BasicBlock, Comdat } from "../ykir/module.js";
import { AttributeGroup, TYPE_ATTRS, parseMemoryAccess, printAttr, type Attr, type AttrList, type MemoryEffects } from "../ykir/attributes.js";
import { MDAttachment, MDNode, NamedMD } from "../ykir/metadata.js";
import { OPCODES, FAST_MATH_FLAGS, ORDERINGS, RMW_OPS } from "../ykir/opcodes.js";

/** A construct the parser recognises but ykir does not model. */
export class IRUnsupportedError extends IRSyntaxError {}

const LINKAGES = new Set(["private", "internal", "available_externally", "linkonce", "weak", "common", "appending",
  "extern_weak", "linkonce_odr", "weak_odr", "external"]);
const VISIBILITIES = new Set(["default", "hidden", "protected"]);
const DLL = new Set(["dllimport", "dllexport"]);
const PREEMPTION = new Set(["dso_local", "dso_preemptable"]);
const UNNAMED_ADDR = new Set(["unnamed_addr", "local_unnamed_addr"]);
const FLOAT_KW = new Set(["half", "bfloat", "float", "double", "x86_fp80", "fp128", "ppc_fp128"]);
const SIMPLE_KW = new Set(["void", "label", "metadata", "token", "x86_amx", "x86_mmx"]);
const CAST_OPS = new Set(["trunc", "zext", "sext", "fptrunc", "fpext", "fptoui", "fptosi", "uitofp", "sitofp",
  "ptrtoint", "inttoptr", "bitcast", "addrspacecast"]);
const BIN_OPS = new Set(["add", "sub", "mul", "udiv", "sdiv", "urem", "srem", "shl", "lshr", "ashr", "and", "or", "xor",
  "fadd", "fsub", "fmul", "fdiv", "frem"]);
const CONST_EXPR_OTHER = new Set(["getelementptr", "icmp", "fcmp", "extractelement", "insertelement", "shufflevector", "select"]);
const INST_FLAGS = new Set(["nuw", "nsw", "exact", "disjoint", "nneg", "inbounds", "nusw", ...FAST_MATH_FLAGS]);
const ATTR_KWS = new Set(`zeroext signext inreg byval byref preallocated inalloca sret elementtype align noalias
  nocapture nofree nest returned nonnull dereferenceable dereferenceable_or_null swiftself swiftasync swifterror
  immarg noundef nofpclass alignstack allocalign allocptr readnone readonly writeonly writable dead_on_unwind range
  initializes captures noext alwaysinline builtin cold convergent disable_sanitizer_instrumentation
  fn_ret_thunk_extern hot inlinehint jumptable minsize naked nobuiltin nocallback noduplicate noimplicitfloat
  noinline nomerge nonlazybind noprofile noredzone noreturn norecurse nosync nounwind nosanitize_bounds
  nosanitize_coverage null_pointer_is_valid optforfuzzing optnone optsize presplitcoroutine returns_twice safestack
  sanitize_address sanitize_hwaddress sanitize_memtag sanitize_memory sanitize_thread sanitize_numerical_stability
  shadowcallstack skipprofile speculatable speculative_load_hardening ssp sspreq sspstrong strictfp uwtable
  willreturn mustprogress allocsize allockind vscale_range memory hybrid_patchable coro_only_destroy_when_complete
  coro_elide_safe nocf_check no_sanitize_address no_sanitize_hwaddress sanitize_address_dyninit hotpatch
  sanitize_realtime sanitize_realtime_blocking`.split(/\s+/));

interface LocalScope {
  fn: Function;
  values: Map<string, Value>;
  blocks: Map<string, BasicBlock>;
  defined: Set<BasicBlock>;
  fwd: Map<string, ForwardRef>;
  /** Where each forward reference was first used, for the error if it is never defined. */
  fwdTok: Map<ForwardRef, Token>;
}

export interface ParseOptions { file?: string; }

/** Parses LLVM 19 text into a ykir module. Throws IRSyntaxError naming file:line:col. */
export function parseModule(src: string, opts: ParseOptions = {}): Module {
  return new Parser(src, opts.file ?? "<input>").parse();
}

class Parser {
  private lx: Lexer;
  /** The current token (null until first needed) and the tokens after it already lexed (peeked). */
  private cur: Token | null = null;
  private ahead: Token[] = [];
  /** The token consumed last (for raw text spans and error positions). */
  private prev: Token = { k: "eof", t: "start of file", p: 0, e: 0, id: false };
  private readonly startTok: Token = { k: "eof", t: "start of file", p: 0, e: 0, id: false };
  private m = new Module();
  private types = new Map<string, T.StructType>();
  private globals = new Map<string, GlobalValue>();
  private groups = new Map<number, AttributeGroup>();
  private comdats = new Map<string, Comdat>();
  private fnBlocks = new Map<Function, Map<string, BasicBlock>>();
  private pendingBA: { ba: BlockAddress; block: string; tok: Token }[] = [];
  private scope: LocalScope | null = null;
  /** Uniqued simple constants (LLVM uniques constants too): key is type key + value. */
  private uniq = new Map<string, Constant>();
  /** Attribute records and metadata attachments are shared too (they are values: replace, never mutate). */
  private sharedAttrs = new Map<string, Attr>();
  private sharedMD = new Map<string, MDAttachment>();
  private shareAttr(a: Attr): Attr {
    const key = printAttr(a);
    let x = this.sharedAttrs.get(key);
    if (!x) { x = a; this.sharedAttrs.set(key, a); }
    return x;
  }
  private attachment(kind: string, ref: string): MDAttachment {
    const key = kind + " " + ref;
    let x = this.sharedMD.get(key);
    if (!x) { x = new MDAttachment(kind, ref); this.sharedMD.set(key, x); }
    return x;
  }
  private unique<C extends Constant>(ty: Type, v: string, make: () => C): C {
    const key = T.typeKey(ty) + " " + v;
    let c = this.uniq.get(key);
    if (!c) { c = make(); this.uniq.set(key, c); }
    return c as C;
  }

  constructor(private src: string, private file: string) {
    this.lx = new Lexer(src, file);
  }

  // ---- token helpers ----------------------------------------------------------
  private get tok(): Token {
    return this.cur ?? (this.cur = this.lx.next());
  }
  private peek(n = 1): Token {
    const cur = this.tok;
    if (cur.k === "eof") return cur;
    while (this.ahead.length < n) this.ahead.push(this.lx.next());
    return this.ahead[n - 1]!;
  }
  private next(): Token {
    const t = this.tok;
    if (t.k !== "eof") this.cur = this.ahead.length ? this.ahead.shift()! : this.lx.next();
    this.prev = t;
    return t;
  }
  private skip(n: number): void { for (let k = 0; k < n; k++) this.next(); }
  private err(msg: string, tok: Token = this.tok): never {
    const [l, c] = lineCol(this.src, tok.p);
    throw new IRSyntaxError(this.file, l, c, msg);
  }
  private unsupported(what: string, tok: Token = this.tok): never {
    const [l, c] = lineCol(this.src, tok.p);
    throw new IRUnsupportedError(this.file, l, c, `unsupported construct: ${what}`);
  }
  private show(t: Token): string { return t.k === "eof" ? "end of file" : `'${this.src.slice(t.p, t.e)}'`; }
  private isKw(t: string): boolean { const k = this.tok; return k.k === "kw" && k.t === t; }
  private isP(t: string): boolean { const k = this.tok; return k.k === "punct" && k.t === t; }
  private eatKw(t: string): boolean { if (this.isKw(t)) { this.next(); return true; } return false; }
  private eatP(t: string): boolean { if (this.isP(t)) { this.next(); return true; } return false; }
  private expectP(t: string, what = ""): Token {
    if (!this.isP(t)) this.err(`expected '${t}'${what ? " " + what : ""}, found ${this.show(this.tok)}`);
    return this.next();
  }
  private expectKw(t: string): Token {
    if (!this.isKw(t)) this.err(`expected '${t}', found ${this.show(this.tok)}`);
    return this.next();
  }
  private expectInt(): number {
    if (this.tok.k !== "int") this.err(`expected an integer, found ${this.show(this.tok)}`);
    return Number(this.next().t);
  }
  private expectStr(): string {
    if (this.tok.k !== "str") this.err(`expected a string, found ${this.show(this.tok)}`);
    return this.next().t;
  }
  /** Raw source text of a balanced (...) / {...} group starting at the current token (which must open it). */
  private rawBalanced(): string {
    const open = this.tok;
    let depth = 0;
    do {
      const t = this.next();
      if (t.k === "eof") this.err("unbalanced brackets", open);
      if (t.k === "punct") {
        if (t.t === "(" || t.t === "{" || t.t === "[" || t.t === "<") depth++;
        else if (t.t === ")" || t.t === "}" || t.t === "]" || t.t === ">") depth--;
      }
    } while (depth > 0);
    return this.src.slice(open.p, this.prev.e);
  }
  /** Raw text from the current token to the end of its line; consumes those tokens. */
  private restOfLine(): string {
    const start = this.tok.p;
    let eol = this.src.indexOf("\n", start);
    if (eol < 0) eol = this.src.length;
    // skip the line's text without lexing it (metadata lines are long)
    const pending = [this.tok, ...this.ahead].filter((t) => t.p >= eol || t.k === "eof");
    if (pending.length === 0 && this.lx.pos < eol) this.lx.pos = eol;
    this.cur = pending.shift() ?? null;
    this.ahead = pending;
    return this.src.slice(start, eol).replace(/\s+$/, "");
  }

  // ---- module -------------------------------------------------------------------
  parse(): Module {
    this.prescan();
    while (this.tok.k !== "eof") this.topLevel();
    for (const { ba, block, tok } of this.pendingBA) {
      const blocks = this.fnBlocks.get(ba.fn);
      const b = blocks?.get(block);
      if (!b) this.err(`blockaddress refers to unknown block %${block} in @${ba.fn.name}`, tok);
      ba.block = b;
    }
    for (const [id, g] of this.groups) if (!this.m.attrGroups.includes(g)) this.err(`attribute group #${id} is used but never defined`, this.startTok);
    for (const [name, g] of this.globals) {
      if (g instanceof Function && g.fnType === undefined) this.err(`@${name} is used but never defined`, this.startTok);
    }
    this.m.resolveTBAA();
    return this.m;
  }

  /**
   * Creates every global value up front so references resolve regardless of
   * order: definitions start a line with `define`/`declare ... @name` or
   * `@name = ... global|constant|alias|ifunc`.
   */
  private prescan(): void {
    const NAME = String.raw`@("(?:[^"\\]|\\.)*"|[-a-zA-Z$._0-9]+)`;
    const re = new RegExp(String.raw`^(?:(define|declare)\b[^\n@]*${NAME}|${NAME}\s*=[ \t]*((?:[a-z_]+(?:\([^)\n]*\))?[ \t]+)*?)(global|constant|alias|ifunc)\b|${NAME}\s*=)`, "gm");
    for (let mt = re.exec(this.src); mt; mt = re.exec(this.src)) {
      const raw = mt[2] ?? mt[3] ?? mt[6]!;
      const isId = /^\d+$/.test(raw);
      const key = raw.startsWith('"') ? unescape(raw.slice(1, -1)) : raw;
      if (mt[1]) {
        const prev = this.globals.get(key);
        if (prev && !(prev instanceof Function)) {
          const [l, c] = lineCol(this.src, mt.index);
          throw new IRSyntaxError(this.file, l, c, `@${key} is defined twice`);
        }
        if (!prev) {
          const f = new Function(isId ? null : key);
          this.globals.set(key, f);
          this.m.functions.push(f);
        }
        continue;
      }
      const kind = mt[5];
      if (kind === undefined) {
        const [l, c] = lineCol(this.src, mt.index);
        throw new IRSyntaxError(this.file, l, c, `expected 'global', 'constant', 'alias' or 'ifunc' in the definition of @${key}`);
      }
      if (this.globals.has(key)) {
        const [l, c] = lineCol(this.src, mt.index);
        throw new IRSyntaxError(this.file, l, c, `@${key} is defined twice`);
      }
      const name = isId ? null : key;
      let g: GlobalValue;
      if (kind === "alias") { g = new GlobalAlias(name); this.m.aliases.push(g as GlobalAlias); }
      else if (kind === "ifunc") { g = new GlobalIFunc(name); this.m.ifuncs.push(g as GlobalIFunc); }
      else { g = new GlobalVariable(name); this.m.globals.push(g as GlobalVariable); }
      this.globals.set(key, g);
    }
  }

  private topLevel(): void {
    const t = this.tok;
    if (t.k === "kw") {
      switch (t.t) {
        case "source_filename": this.next(); this.expectP("="); this.m.sourceFilename = this.expectStr(); return;
        case "target": {
          this.next();
          const what = this.next();
          this.expectP("=");
          if (what.t === "datalayout") this.m.datalayout = this.expectStr();
          else if (what.t === "triple") this.m.triple = this.expectStr();
          else this.err(`unknown target property ${this.show(what)}`, what);
          return;
        }
        case "module": this.next(); this.expectKw("asm"); this.m.moduleAsm.push(this.expectStr()); return;
        case "define": case "declare": this.parseFunction(); return;
        case "attributes": this.parseAttrGroup(); return;
        case "uselistorder": case "uselistorder_bb": this.unsupported(t.t);
      }
      this.err(`unexpected ${this.show(t)} at top level`);
    }
    if (t.k === "lvar") { this.parseTypeDef(); return; }
    if (t.k === "gvar") { this.parseGlobal(); return; }
    if (t.k === "comdat") {
      this.next(); this.expectP("="); this.expectKw("comdat");
      const kind = this.next().t;
      this.comdat(t.t).kind = kind;
      return;
    }
    if (t.k === "mdvar") { this.next(); this.expectP("="); this.m.namedMD.push(new NamedMD(t.t, this.restOfLine())); return; }
    if (t.k === "mdid") { this.next(); this.expectP("="); this.m.mdNodes.push(new MDNode(Number(t.t), this.restOfLine())); return; }
    if (t.k === "summary") { this.next(); this.expectP("="); this.m.summary.push({ id: Number(t.t), text: this.restOfLine() }); return; }
    this.err(`unexpected ${this.show(t)} at top level`);
  }

  private comdat(name: string): Comdat {
    let c = this.comdats.get(name);
    if (!c) { c = new Comdat(name, "any"); this.comdats.set(name, c); this.m.comdats.push(c); }
    return c;
  }
  private group(id: number): AttributeGroup {
    let g = this.groups.get(id);
    if (!g) { g = new AttributeGroup(id, []); this.groups.set(id, g); }
    return g;
  }
  private namedType(name: string): T.StructType {
    let t = this.types.get(name);
    if (!t) { t = new T.StructType(name, null, false); this.types.set(name, t); }
    return t;
  }

  private parseTypeDef(): void {
    const name = this.next();
    this.expectP("=");
    this.expectKw("type");
    const st = this.namedType(name.t);
    if (this.m.namedTypes.includes(st)) this.err(`type %${name.t} defined twice`, name);
    this.m.namedTypes.push(st);
    if (this.eatKw("opaque")) return;
    const packed = this.eatP("<");
    this.expectP("{");
    const elems: Type[] = [];
    if (!this.isP("}")) do elems.push(this.parseType()); while (this.eatP(","));
    this.expectP("}");
    if (packed) this.expectP(">");
    st.elems = elems; st.packed = packed;
  }

  private parseAttrGroup(): void {
    this.expectKw("attributes");
    if (this.tok.k !== "attrid") this.err(`expected #N after 'attributes', found ${this.show(this.tok)}`);
    const g = this.group(Number(this.next().t));
    this.expectP("=");
    this.expectP("{");
    g.attrs = this.parseAttrs(true);
    this.expectP("}");
    this.m.attrGroups.push(g);
  }

  // ---- attributes -----------------------------------------------------------------
  /** Parses attributes while the current token is one; inGroup allows `key=value` forms. */
  private parseAttrs(inGroup = false, groups?: AttributeGroup[]): AttrList {
    const out: AttrList = [];
    for (;;) {
      const t = this.tok;
      if (t.k === "str") {
        this.next();
        if (this.eatP("=")) out.push(this.shareAttr({ kind: t.t, str: true, value: this.expectStr() }));
        else out.push(this.shareAttr({ kind: t.t, str: true }));
        continue;
      }
      if (t.k === "attrid" && groups) { this.next(); groups.push(this.group(Number(t.t))); continue; }
      if (t.k !== "kw" || !ATTR_KWS.has(t.t)) return out;
      this.next();
      const a: Attr = { kind: t.t };
      if (t.t === "memory") {
        this.expectP("(");
        const m: MemoryEffects = { default: "none" };
        do {
          const loc = this.next();
          if (loc.k === "label") {
            const acc = parseMemoryAccess(this.next().t) ?? this.err("bad memory access kind", loc);
            if (loc.t === "argmem" || loc.t === "inaccessiblemem") m[loc.t] = acc;
            else this.unsupported(`memory location '${loc.t}'`, loc);
          } else m.default = parseMemoryAccess(loc.t) ?? this.err(`bad memory access kind ${this.show(loc)}`, loc);
        } while (this.eatP(","));
        this.expectP(")");
        a.memory = m;
      } else if (TYPE_ATTRS.has(t.t) && this.isP("(")) {
        this.next(); a.type = this.parseType(); this.expectP(")");
      } else if (this.isP("(")) {
        if (this.peek().k === "int" && this.peek(2).k === "punct" && this.peek(2).t === ")") {
          this.next(); a.int = Number(this.next().t); a.form = "("; this.next();
        } else a.text = this.rawBalanced().slice(1, -1);
      } else if (inGroup && this.isP("=") && (t.t === "align" || t.t === "alignstack")) {
        this.next(); a.int = this.expectInt(); a.form = "=";
      } else if ((t.t === "align" || t.t === "alignstack" || t.t === "dereferenceable" || t.t === "dereferenceable_or_null") && this.tok.k === "int") {
        a.int = Number(this.next().t); a.form = " ";
      }
      out.push(this.shareAttr(a));
    }
  }

  // ---- types --------------------------------------------------------------------------
  parseType(): Type {
    let ty = this.parseBaseType();
    while (this.isP("(")) { // function type
      this.next();
      const params: Type[] = [];
      let varargs = false;
      if (!this.isP(")")) {
        do {
          if (this.eatP("...")) { varargs = true; break; }
          params.push(this.parseType());
        } while (this.eatP(","));
      }
      this.expectP(")");
      ty = T.functionType(ty, params, varargs);
    }
    if (this.isP("*")) this.unsupported("typed pointer (LLVM 19 uses opaque 'ptr')");
    return ty;
  }

  private parseBaseType(): Type {
    const t = this.next();
    if (t.k === "kw") {
      if (t.t.charCodeAt(0) === 105 && /^i\d+$/.test(t.t)) return T.intType(Number(t.t.slice(1)));
      if (t.t === "ptr") {
        if (this.eatKw("addrspace")) { this.expectP("("); const n = this.expectInt(); this.expectP(")"); return T.ptrType(n); }
        return T.ptr;
      }
      if (FLOAT_KW.has(t.t)) return T.floatType(t.t as T.FloatKind);
      if (SIMPLE_KW.has(t.t)) return T.simpleType(t.t as T.SimpleType["kind"]);
      if (t.t === "target") return T.targetExtType("target" + this.rawBalanced());
    }
    if (t.k === "lvar") return this.namedType(t.t);
    if (t.k === "punct") {
      if (t.t === "[") {
        const n = this.expectInt(); this.expectKw("x");
        const e = this.parseType(); this.expectP("]");
        return T.arrayType(n, e);
      }
      if (t.t === "{") return this.parseStructBody(false);
      if (t.t === "<") {
        if (this.eatP("{")) { const s = this.parseStructBody(true); this.expectP(">"); return s; }
        const scalable = this.eatKw("vscale");
        if (scalable) this.expectKw("x");
        const n = this.expectInt(); this.expectKw("x");
        const e = this.parseType(); this.expectP(">");
        return T.vectorType(n, e, scalable);
      }
    }
    return this.err(`expected a type, found ${this.show(t)}`, t);
  }
  private parseStructBody(packed: boolean): Type {
    const elems: Type[] = [];
    if (!this.isP("}")) do elems.push(this.parseType()); while (this.eatP(","));
    this.expectP("}");
    return T.structType(elems, packed);
  }

  // ---- values ---------------------------------------------------------------------------
  private parseTypedValue(): Value {
    const ty = this.parseType();
    return this.parseValue(ty);
  }
  private parseTypedConstant(): Constant {
    const ty = this.parseType();
    return this.parseConstant(ty);
  }

  private local(name: string, ty: Type): Value {
    const s = this.scope;
    if (!s) return this.err(`local value %${name} used outside a function`);
    const v = s.values.get(name);
    if (v) return v;
    let f = s.fwd.get(name);
    if (!f) { f = new ForwardRef(ty, name); s.fwd.set(name, f); s.fwdTok.set(f, this.prev); }
    return f;
  }
  private block(name: string): BasicBlock {
    const s = this.scope!;
    let b = s.blocks.get(name);
    if (!b) { b = new BasicBlock(null); s.blocks.set(name, b); }
    return b;
  }
  private parseBlockRef(): BasicBlock {
    this.expectKw("label");
    const t = this.next();
    if (t.k !== "lvar") this.err(`expected a block label (%name), found ${this.show(t)}`, t);
    return this.block(t.t);
  }

  parseValue(ty: Type): Value {
    const t = this.tok;
    if (t.k === "lvar") { this.next(); return this.local(t.t, ty); }
    if (ty.kind === "metadata") return this.parseMetadataOperand();
    if (t.k === "kw" && t.t === "asm") return this.parseInlineAsm(ty);
    return this.parseConstant(ty);
  }

  private parseInlineAsm(ty: Type): InlineAsm {
    this.expectKw("asm");
    const flags: string[] = [];
    while (this.tok.k === "kw" && ["sideeffect", "alignstack", "inteldialect", "unwind"].includes(this.tok.t)) flags.push(this.next().t);
    const asm = this.expectStr();
    this.expectP(",");
    const cons = this.expectStr();
    return new InlineAsm(ty, asm, cons, flags);
  }

  parseConstant(ty: Type): Constant {
    const t = this.next();
    switch (t.k) {
      case "gvar": {
        const g = this.globals.get(t.t);
        if (!g) this.err(`unknown global @${t.t}`, t);
        return g;
      }
      case "int":
        if (ty.kind === "float") return new ConstantFP(ty, t.t.includes(".") ? t.t : `${t.t}.0`);
        if (ty.kind !== "int") this.err(`integer constant ${t.t} given type ${ty}`, t);
        return this.unique(ty, t.t, () => new ConstantInt(ty, BigInt.asUintN((ty as T.IntType).bits, BigInt(t.t))));
      case "float":
        if (ty.kind !== "float") this.err(`floating-point constant ${t.t} given type ${ty}`, t);
        return new ConstantFP(ty, t.t);
      case "cstr": return new ConstantString(ty, t.t);
      case "punct":
        if (t.t === "[" || t.t === "{" || t.t === "<") {
          const close = t.t === "[" ? "]" : t.t === "{" ? "}" : ">";
          let packed = false;
          if (t.t === "<" && this.eatP("{")) packed = true;
          const elems: Constant[] = [];
          if (!this.isP(packed ? "}" : close)) do elems.push(this.parseTypedConstant()); while (this.eatP(","));
          if (packed) { this.expectP("}"); }
          this.expectP(close);
          return new ConstantAggregate(ty, elems);
        }
        break;
      case "kw":
        switch (t.t) {
          case "true": return this.unique(ty, "1", () => new ConstantInt(ty, 1n));
          case "false": return this.unique(ty, "0", () => new ConstantInt(ty, 0n));
          case "null": return this.unique(ty, "null", () => new ConstantNull(ty));
          case "undef": return this.unique(ty, "undef", () => new ConstantUndef(ty));
          case "poison": return this.unique(ty, "poison", () => new ConstantPoison(ty));
          case "zeroinitializer": return this.unique(ty, "zeroinitializer", () => new ConstantZero(ty));
          case "none": return new ConstantNone(ty);
          case "blockaddress": {
            this.expectP("(");
            const fnTok = this.tok;
            const fn = this.parseConstant(T.ptr);
            if (!(fn instanceof Function)) this.err("blockaddress needs a function", fnTok);
            this.expectP(",");
            const bt = this.next();
            if (bt.k !== "lvar") this.err(`expected a block in blockaddress, found ${this.show(bt)}`, bt);
            this.expectP(")");
            const ba = new BlockAddress(ty, fn, null as unknown as BasicBlock);
            this.pendingBA.push({ ba, block: bt.t, tok: bt });
            return ba;
          }
          case "splat": { this.expectP("("); const v = this.parseTypedConstant(); this.expectP(")"); return new ConstantSplat(ty, v); }
          case "dso_local_equivalent": return new DSOLocalEquivalent(ty, this.parseConstant(ty));
          case "no_cfi": return new NoCFIValue(ty, this.parseConstant(ty));
          default:
            if (CAST_OPS.has(t.t) || BIN_OPS.has(t.t) || CONST_EXPR_OTHER.has(t.t)) return this.parseConstExpr(t, ty);
        }
    }
    return this.err(`expected a constant of type ${ty}, found ${this.show(t)}`, t);
  }

  private parseConstExpr(op: Token, ty: Type): Constant {
    const name = op.t;
    const flags: string[] = [];
    let inrange: [bigint, bigint] | undefined;
    let predicate: string | undefined;
    for (;;) {
      if (this.tok.k === "kw" && INST_FLAGS.has(this.tok.t)) { flags.push(this.next().t); continue; }
      if (this.isKw("inrange")) {
        this.next(); this.expectP("(");
        const lo = BigInt(this.next().t); this.expectP(","); const hi = BigInt(this.next().t);
        this.expectP(")"); inrange = [lo, hi]; continue;
      }
      break;
    }
    if (name === "icmp" || name === "fcmp") predicate = this.next().t;
    this.expectP("(", `after constant expression '${name}'`);
    let e: ConstantExpr;
    if (CAST_OPS.has(name)) {
      const v = this.parseTypedConstant();
      this.expectKw("to");
      const dest = this.parseType();
      e = new ConstantExpr(dest, name, [v]);
    } else if (name === "getelementptr") {
      const elemTy = this.parseType();
      const ops: Constant[] = [];
      while (this.eatP(",")) ops.push(this.parseTypedConstant());
      e = new ConstantExpr(ty, name, ops);
      e.elemType = elemTy;
    } else if (BIN_OPS.has(name) || name === "icmp" || name === "fcmp" || name === "extractelement" ||
               name === "insertelement" || name === "shufflevector") {
      const ops: Constant[] = [this.parseTypedConstant()];
      while (this.eatP(",")) ops.push(this.parseTypedConstant());
      e = new ConstantExpr(ty, name, ops);
    } else {
      return this.unsupported(`constant expression '${name}'`, op);
    }
    this.expectP(")");
    e.flags = flags;
    if (inrange) e.inrange = inrange;
    if (predicate) e.predicate = predicate;
    return e;
  }

  /** A metadata operand: `!N`, `!"s"`, `!{...}`, `!DIExpression(...)`, `!DIArgList(...)` or `<ty> <value>`. */
  private parseMetadataOperand(): MetadataOperand {
    const t = this.tok;
    if (t.k === "mdid") { this.next(); return MetadataOperand.ofText(`!${t.t}`); }
    if (t.k === "mdvar") {
      if (t.t === "DIArgList") {
        this.next(); this.expectP("(");
        const args: Value[] = [];
        if (!this.isP(")")) do args.push(this.parseTypedValue()); while (this.eatP(","));
        this.expectP(")");
        return MetadataOperand.ofArgs(args);
      }
      this.next();
      if (!this.isP("(")) this.err(`expected '(' after !${t.t}`);
      return MetadataOperand.ofText(`!${t.t}` + this.rawBalanced());
    }
    if (t.k === "punct" && t.t === "!") {
      const n = this.peek();
      if (n.k === "str") { this.skip(2); return MetadataOperand.ofText(this.src.slice(t.p, n.e)); }
      if (n.k === "punct" && n.t === "{") { this.next(); return MetadataOperand.ofText("!" + this.rawBalanced()); }
      this.err(`bad metadata after '!'`, n);
    }
    return MetadataOperand.ofValue(this.parseTypedValue());
  }

  /** A metadata reference in an attachment: `!N`, `!{...}`, `!DILocation(...)`, `!"s"`. */
  private parseMDRef(): string {
    const m = this.parseMetadataOperand();
    if (m.text === undefined) this.err("expected metadata");
    return m.text;
  }
  /** `, !kind !ref` pairs after an instruction or global; returns undefined when none. */
  private parseMDAttachments(list: MDAttachment[] | undefined, needComma: boolean): MDAttachment[] | undefined {
    for (;;) {
      if (needComma) {
        if (!(this.isP(",") && this.peek().k === "mdvar")) return list;
        this.next();
      } else if (this.tok.k !== "mdvar") return list;
      const kind = this.next().t;
      (list ??= []).push(this.attachment(kind, this.parseMDRef()));
    }
  }

  // ---- globals ---------------------------------------------------------------------------
  private parseGVPrefix(g: GlobalValue): void {
    for (;;) {
      const t = this.tok;
      if (t.k !== "kw") return;
      if (LINKAGES.has(t.t)) g.linkage = t.t;
      else if (PREEMPTION.has(t.t)) g.preemption = t.t;
      else if (VISIBILITIES.has(t.t)) g.visibility = t.t;
      else if (DLL.has(t.t)) g.dllStorage = t.t;
      else if (UNNAMED_ADDR.has(t.t)) g.unnamedAddr = t.t;
      else if (t.t === "thread_local") {
        this.next();
        g.threadLocal = this.isP("(") ? "thread_local" + this.rawBalanced() : "thread_local";
        continue;
      } else if (t.t === "addrspace") {
        this.next(); this.expectP("("); g.addrspace = this.expectInt(); this.expectP(")"); g.type = T.ptrType(g.addrspace); continue;
      } else if (t.t === "externally_initialized" && g instanceof GlobalVariable) g.externallyInitialized = true;
      else return;
      this.next();
    }
  }

  private parseGlobal(): void {
    const nameTok = this.next();
    this.expectP("=");
    const g = this.globals.get(nameTok.t)!;
    this.parseGVPrefix(g);
    if (g instanceof GlobalAlias || g instanceof GlobalIFunc) {
      const kw = this.next().t;
      g.valueType = this.parseType();
      this.expectP(",");
      const target = this.parseTypedConstant();
      if (g instanceof GlobalAlias) g.aliasee = target; else g.resolver = target;
      if (kw !== "alias" && kw !== "ifunc") this.err("expected alias or ifunc", nameTok);
      while (this.isP(",") && this.peek().k === "kw" && this.peek().t === "partition") { this.skip(2); g.partition = this.expectStr(); }
      g.md = this.parseMDAttachments(g.md, true);
      return;
    }
    const gv = g as GlobalVariable;
    const kw = this.next();
    if (kw.t !== "global" && kw.t !== "constant") this.err(`expected 'global' or 'constant', found ${this.show(kw)}`, kw);
    gv.isConstantGlobal = kw.t === "constant";
    gv.valueType = this.parseType();
    const isDecl = gv.linkage === "external" || gv.linkage === "extern_weak";
    if (!isDecl || !(this.isP(",") || this.tok.k === "gvar" || this.tok.k === "lvar" || this.tok.k === "eof" ||
        this.tok.k === "kw" || this.tok.k === "mdid" || this.tok.k === "mdvar" || this.tok.k === "comdat" || this.tok.k === "attrid")) {
      gv.initializer = this.parseConstant(gv.valueType);
    }
    while (this.isP(",")) {
      const n = this.peek();
      if (n.k === "mdvar") { gv.md = this.parseMDAttachments(gv.md, true); continue; }
      if (n.k !== "kw") this.err(`unexpected ${this.show(n)} in global variable @${nameTok.t}`, n);
      this.skip(2);
      switch (n.t) {
        case "section": gv.section = this.expectStr(); break;
        case "partition": gv.partition = this.expectStr(); break;
        case "comdat": gv.comdat = this.parseComdatRef(gv.name); break;
        case "align": gv.align = this.expectInt(); break;
        case "code_model": gv.codeModel = this.expectStr(); break;
        case "no_sanitize_address": case "no_sanitize_hwaddress": case "sanitize_memtag": case "sanitize_address_dyninit":
          (gv.sanitizer ??= []).push(n.t); break;
        default: this.unsupported(`global variable property '${n.t}'`, n);
      }
    }
    if (this.tok.k === "attrid") { gv.attrGroups = []; while (this.tok.k === "attrid") gv.attrGroups.push(this.group(Number(this.next().t))); }
  }

  private parseComdatRef(ownName: string | null): Comdat {
    if (this.eatP("(")) {
      const t = this.next();
      if (t.k !== "comdat") this.err(`expected $name in comdat(...)`, t);
      this.expectP(")");
      return this.comdat(t.t);
    }
    return this.comdat(ownName ?? "");
  }

  // ---- functions ---------------------------------------------------------------------------
  private parseFunction(): void {
    const isDefine = this.next().t === "define";
    // linkage etc. are parsed into a scratch function and copied once the name is known
    const scratch = new Function(null);
    // declarations carry their attachments first: `declare !dbg !5 void @f()`
    const leadingMD = this.parseMDAttachments(undefined, false);
    this.parseGVPrefix(scratch);
    let cconv = "";
    if (this.tok.k === "kw" && (this.tok.t === "cc" || /cc$/.test(this.tok.t) && !ATTR_KWS.has(this.tok.t))) {
      cconv = this.next().t;
      if (cconv === "cc") cconv += " " + this.expectInt();
    }
    const retAttrs = this.parseAttrs();
    const retTy = this.parseType();
    const nameTok = this.next();
    if (nameTok.k !== "gvar") this.err(`expected a function name (@name), found ${this.show(nameTok)}`, nameTok);
    const f = this.globals.get(nameTok.t) as Function;
    if (f.fnType !== undefined) this.err(`function @${nameTok.t} defined twice`, nameTok);
    f.linkage = scratch.linkage; f.preemption = scratch.preemption; f.visibility = scratch.visibility;
    f.dllStorage = scratch.dllStorage; f.unnamedAddr = scratch.unnamedAddr; f.threadLocal = scratch.threadLocal;
    f.cconv = cconv; f.retAttrs = retAttrs;
    if (leadingMD) f.md = leadingMD;
    this.expectP("(");
    const params: Type[] = [];
    let varargs = false;
    if (!this.isP(")")) {
      do {
        if (this.eatP("...")) { varargs = true; break; }
        const ty = this.parseType();
        const attrs = this.parseAttrs();
        let name: string | null = null;
        if (this.tok.k === "lvar") { const nt = this.next(); name = nt.id ? null : nt.t; }
        const a = new Argument(ty, name, params.length);
        a.attrs = attrs;
        f.args.push(a);
        params.push(ty);
      } while (this.eatP(","));
    }
    this.expectP(")");
    f.fnType = T.functionType(retTy, params, varargs);
    // trailing properties, in any order
    for (;;) {
      const t = this.tok;
      if (t.k === "kw") {
        if (UNNAMED_ADDR.has(t.t)) { f.unnamedAddr = this.next().t; continue; }
        if (t.t === "addrspace") { this.next(); this.expectP("("); f.addrspace = this.expectInt(); this.expectP(")"); f.type = T.ptrType(f.addrspace); continue; }
        if (t.t === "section") { this.next(); f.section = this.expectStr(); continue; }
        if (t.t === "partition") { this.next(); f.partition = this.expectStr(); continue; }
        if (t.t === "comdat") { this.next(); f.comdat = this.parseComdatRef(f.name); continue; }
        if (t.t === "align") { this.next(); f.align = this.expectInt(); continue; }
        if (t.t === "gc") { this.next(); f.gc = this.expectStr(); continue; }
        if (t.t === "prefix") { this.next(); f.prefix = this.parseTypedConstant(); continue; }
        if (t.t === "prologue") { this.next(); f.prologue = this.parseTypedConstant(); continue; }
        if (t.t === "personality") { this.next(); f.personality = this.parseTypedConstant(); continue; }
        if (ATTR_KWS.has(t.t)) { f.fnAttrs.push(...this.parseAttrs(false, f.attrGroups)); continue; }
      }
      if (t.k === "attrid" || t.k === "str") { f.fnAttrs.push(...this.parseAttrs(false, f.attrGroups)); continue; }
      if (t.k === "mdvar") { f.md = this.parseMDAttachments(f.md, false); continue; }
      break;
    }
    if (isDefine) this.parseBody(f);
  }

  private parseBody(f: Function): void {
    const open = this.expectP("{", "to start the body of @" + (f.name ?? "?"));
    const scope: LocalScope = { fn: f, values: new Map(), blocks: new Map(), defined: new Set(), fwd: new Map(), fwdTok: new Map() };
    this.scope = scope;
    let nextId = 0;
    for (const a of f.args) {
      if (a.name === null) scope.values.set(String(nextId++), a);
      else scope.values.set(a.name, a);
    }
    let cur: BasicBlock | null = null;
    const startBlock = (key: string, named: string | null, tok: Token): void => {
      const b = this.block(key);
      if (scope.defined.has(b)) this.err(`block %${key} defined twice`, tok);
      scope.defined.add(b);
      b.name = named;
      b.parent = f;
      f.blocks.push(b);
      cur = b;
    };
    let pendingDbg: DebugRecord[] | undefined;
    while (!this.isP("}")) {
      if (this.tok.k === "eof") this.err(`unterminated body of @${f.name}`, open);
      const t = this.tok;
      if (t.k === "label") {
        this.next();
        startBlock(t.t, t.id ? null : t.t, t);
        if (t.id) nextId = Number(t.t) + 1;
        continue;
      }
      if (cur === null || (cur as BasicBlock).terminator) {
        startBlock(String(nextId), null, t); nextId++;
      }
      if (t.k === "dbgrec") { (pendingDbg ??= []).push(this.parseDebugRecord()); continue; }
      let name: string | null = null, key: string | null = null;
      const nameTok = t;
      if (t.k === "lvar" && this.peek().k === "punct" && this.peek().t === "=") {
        this.skip(2);
        key = t.t;
        name = t.id ? null : t.t;
        if (t.id) nextId = Number(t.t) + 1;
      }
      const inst = this.parseInstruction();
      if (key !== null) {
        if (inst.type.kind === "void") this.err(`instruction '${inst.opcode}' has no result but is named %${key}`, nameTok);
        inst.name = name;
        if (scope.values.has(key)) this.err(`value %${key} defined twice`, nameTok);
        scope.values.set(key, inst);
      } else if (inst.type.kind !== "void") {
        // an unnamed non-void result (e.g. a call written without %N =) takes the next number
        scope.values.set(String(nextId++), inst);
      }
      if (pendingDbg) { inst.dbg = pendingDbg; pendingDbg = undefined; }
      (cur as unknown as BasicBlock).append(inst);
    }
    this.next();
    for (const [key, b] of scope.blocks) if (!scope.defined.has(b)) this.err(`@${f.name}: block %${key} is used but not defined`, open);
    if (scope.fwd.size > 0) this.resolveForward(scope);
    this.fnBlocks.set(f, scope.blocks);
    this.scope = null;
  }

  private resolveForward(scope: LocalScope): void {
    const repl = new Map<Value, Value>();
    for (const [name, fr] of scope.fwd) {
      const v = scope.values.get(name);
      if (!v) this.err(`@${scope.fn.name}: value %${name} is used but never defined`, scope.fwdTok.get(fr));
      repl.set(fr, v);
    }
    const fix = (arr: Value[]): void => {
      for (let k = 0; k < arr.length; k++) {
        const v = arr[k]!;
        if (v.vkind === "fwd") arr[k] = repl.get(v)!;
        else if (v.vkind === "md") fixMD(v as MetadataOperand);
      }
    };
    const fixMD = (m: MetadataOperand): void => {
      if (m.value) { if (m.value.vkind === "fwd") m.value = repl.get(m.value)!; }
      if (m.args) fix(m.args);
    };
    for (const b of scope.fn.blocks)
      for (const inst of b.instructions) {
        fix(inst.operands);
        for (const bu of inst.bundles ?? []) fix(bu.values);
        for (const r of inst.dbg ?? []) fix(r.args);
      }
  }

  private parseDebugRecord(): DebugRecord {
    const t = this.next();
    this.expectP("(");
    const args: Value[] = [];
    if (!this.isP(")")) do args.push(this.parseMetadataOperand()); while (this.eatP(","));
    this.expectP(")");
    return new DebugRecord(t.t, args);
  }

  // ---- instructions ---------------------------------------------------------------------------
  private parseFlags(inst: Instruction): void {
    while (this.tok.k === "kw" && INST_FLAGS.has(this.tok.t)) inst.flags.push(this.next().t);
  }
  private parseAlignAndMD(inst: Instruction): void {
    while (this.isP(",")) {
      const n = this.peek();
      if (n.k === "kw" && n.t === "align") { this.skip(2); inst.align = this.expectInt(); continue; }
      if (n.k === "mdvar") { inst.md = this.parseMDAttachments(inst.md, true); continue; }
      break;
    }
  }
  private parseSyncOrdering(inst: Instruction, failure = false): void {
    if (this.isKw("syncscope")) { this.next(); this.expectP("("); inst.syncscope = this.expectStr(); this.expectP(")"); }
    const o = this.next();
    if (!ORDERINGS.has(o.t)) this.err(`expected an atomic ordering, found ${this.show(o)}`, o);
    inst.ordering = o.t;
    if (failure) {
      const f = this.next();
      if (!ORDERINGS.has(f.t)) this.err(`expected a failure ordering, found ${this.show(f)}`, f);
      inst.failureOrdering = f.t;
    }
  }

  private parseInstruction(): Instruction {
    const opTok = this.next();
    if (opTok.k !== "kw") this.err(`expected an instruction, found ${this.show(opTok)}`, opTok);
    let op = opTok.t;
    let tail: Instruction["tail"];
    if (op === "tail" || op === "musttail" || op === "notail") {
      tail = op;
      this.expectKw("call");
      op = "call";
    }
    if (!OPCODES.has(op)) this.err(`unknown instruction '${op}'`, opTok);
    const V = T.voidType;
    let inst: Instruction;
    switch (op) {
      case "ret": {
        if (this.eatKw("void")) { inst = new Instruction(op, V, []); break; }
        inst = new Instruction(op, V, [this.parseTypedValue()]);
        break;
      }
      case "br": {
        if (this.isKw("label")) { inst = new Instruction(op, V, []); inst.blocks = [this.parseBlockRef()]; break; }
        const c = this.parseTypedValue(); this.expectP(",");
        const a = this.parseBlockRef(); this.expectP(",");
        const b = this.parseBlockRef();
        inst = new Instruction(op, V, [c]); inst.blocks = [a, b];
        break;
      }
      case "switch": {
        const c = this.parseTypedValue(); this.expectP(",");
        const def = this.parseBlockRef();
        inst = new Instruction(op, V, [c]); inst.blocks = [def];
        this.expectP("[");
        while (!this.isP("]")) {
          inst.operands.push(this.parseTypedConstant()); this.expectP(",");
          inst.blocks.push(this.parseBlockRef());
        }
        this.next();
        break;
      }
      case "indirectbr": {
        const a = this.parseTypedValue(); this.expectP(",");
        inst = new Instruction(op, V, [a]);
        this.expectP("[");
        if (!this.isP("]")) do inst.blocks.push(this.parseBlockRef()); while (this.eatP(","));
        this.expectP("]");
        break;
      }
      case "unreachable": inst = new Instruction(op, V, []); break;
      case "resume": inst = new Instruction(op, V, [this.parseTypedValue()]); break;
      case "fneg": case "freeze": {
        inst = new Instruction(op, V, []);
        this.parseFlags(inst);
        const v = this.parseTypedValue();
        inst.operands.push(v); inst.type = v.type;
        break;
      }
      case "icmp": case "fcmp": {
        inst = new Instruction(op, V, []);
        this.parseFlags(inst);
        inst.predicate = this.next().t;
        const ty = this.parseType();
        const a = this.parseValue(ty); this.expectP(",");
        const b = this.parseValue(ty);
        inst.operands.push(a, b);
        inst.type = ty.kind === "vector" ? T.vectorType((ty as T.VectorType).length, T.i1, (ty as T.VectorType).scalable) : T.i1;
        break;
      }
      case "phi": {
        inst = new Instruction(op, V, []);
        this.parseFlags(inst);
        const ty = this.parseType();
        inst.type = ty;
        do {
          this.expectP("[");
          inst.operands.push(this.parseValue(ty)); this.expectP(",");
          const bt = this.next();
          if (bt.k !== "lvar") this.err(`expected a predecessor block, found ${this.show(bt)}`, bt);
          inst.blocks.push(this.block(bt.t));
          this.expectP("]");
        } while (this.isP(",") && this.peek().k === "punct" && this.peek().t === "[" && (this.next(), true));
        break;
      }
      case "select": {
        inst = new Instruction(op, V, []);
        this.parseFlags(inst);
        const c = this.parseTypedValue(); this.expectP(",");
        const a = this.parseTypedValue(); this.expectP(",");
        const b = this.parseTypedValue();
        inst.operands.push(c, a, b); inst.type = a.type;
        break;
      }
      case "alloca": {
        inst = new Instruction(op, T.ptr, []);
        this.parseFlags(inst);
        if (this.eatKw("inalloca")) inst.flags.push("inalloca");
        inst.elemType = this.parseType();
        while (this.eatP(",")) {
          if (this.isKw("align")) { this.next(); inst.align = this.expectInt(); continue; }
          if (this.isKw("addrspace")) { this.next(); this.expectP("("); inst.addrspace = this.expectInt(); this.expectP(")"); inst.type = T.ptrType(inst.addrspace); continue; }
          if (this.tok.k === "mdvar") { const kind = this.next().t; (inst.md ??= []).push(this.attachment(kind, this.parseMDRef())); continue; }
          inst.operands.push(this.parseTypedValue());
        }
        break;
      }
      case "load": {
        inst = new Instruction(op, V, []);
        if (this.eatKw("atomic")) inst.flags.push("atomic");
        if (this.eatKw("volatile")) inst.flags.push("volatile");
        inst.type = this.parseType(); this.expectP(",");
        inst.operands.push(this.parseTypedValue());
        if (inst.hasFlag("atomic")) this.parseSyncOrdering(inst);
        this.parseAlignAndMD(inst);
        break;
      }
      case "store": {
        inst = new Instruction(op, V, []);
        if (this.eatKw("atomic")) inst.flags.push("atomic");
        if (this.eatKw("volatile")) inst.flags.push("volatile");
        const v = this.parseTypedValue(); this.expectP(",");
        inst.operands.push(v, this.parseTypedValue());
        if (inst.hasFlag("atomic")) this.parseSyncOrdering(inst);
        this.parseAlignAndMD(inst);
        break;
      }
      case "fence": inst = new Instruction(op, V, []); this.parseSyncOrdering(inst); this.parseAlignAndMD(inst); break;
      case "cmpxchg": {
        inst = new Instruction(op, V, []);
        if (this.eatKw("weak")) inst.flags.push("weak");
        if (this.eatKw("volatile")) inst.flags.push("volatile");
        const p = this.parseTypedValue(); this.expectP(",");
        const c = this.parseTypedValue(); this.expectP(",");
        const n = this.parseTypedValue();
        inst.operands.push(p, c, n);
        inst.type = T.structType([c.type, T.i1]);
        this.parseSyncOrdering(inst, true);
        this.parseAlignAndMD(inst);
        break;
      }
      case "atomicrmw": {
        inst = new Instruction(op, V, []);
        if (this.eatKw("volatile")) inst.flags.push("volatile");
        const o = this.next();
        if (!RMW_OPS.has(o.t)) this.err(`unknown atomicrmw operation ${this.show(o)}`, o);
        inst.rmwOp = o.t;
        const p = this.parseTypedValue(); this.expectP(",");
        const v = this.parseTypedValue();
        inst.operands.push(p, v); inst.type = v.type;
        this.parseSyncOrdering(inst);
        this.parseAlignAndMD(inst);
        break;
      }
      case "getelementptr": {
        inst = new Instruction(op, V, []);
        this.parseFlags(inst);
        inst.elemType = this.parseType();
        while (this.isP(",") && this.peek().k !== "mdvar") { this.next(); inst.operands.push(this.parseTypedValue()); }
        const base = inst.operands[0];
        if (!base) this.err("getelementptr without a base pointer", opTok);
        // vector of pointers if the base or any index is a vector
        const vec = inst.operands.find((v) => v.type.kind === "vector") as Value | undefined;
        inst.type = vec ? T.vectorType((vec.type as T.VectorType).length, base.type.kind === "vector" ? (base.type as T.VectorType).elem : base.type) : base.type;
        break;
      }
      case "extractelement": {
        inst = new Instruction(op, V, []);
        const v = this.parseTypedValue(); this.expectP(",");
        inst.operands.push(v, this.parseTypedValue());
        inst.type = (v.type as T.VectorType).elem;
        break;
      }
      case "insertelement": {
        inst = new Instruction(op, V, []);
        const v = this.parseTypedValue(); this.expectP(",");
        const e = this.parseTypedValue(); this.expectP(",");
        inst.operands.push(v, e, this.parseTypedValue());
        inst.type = v.type;
        break;
      }
      case "shufflevector": {
        inst = new Instruction(op, V, []);
        const a = this.parseTypedValue(); this.expectP(",");
        const b = this.parseTypedValue(); this.expectP(",");
        const m = this.parseTypedValue();
        inst.operands.push(a, b, m);
        const mt = m.type as T.VectorType, at = a.type as T.VectorType;
        inst.type = T.vectorType(mt.length, at.elem, mt.scalable);
        break;
      }
      case "extractvalue": case "insertvalue": {
        inst = new Instruction(op, V, []);
        const agg = this.parseTypedValue();
        inst.operands.push(agg);
        if (op === "insertvalue") { this.expectP(","); inst.operands.push(this.parseTypedValue()); }
        inst.indices = [];
        while (this.isP(",") && this.peek().k === "int") { this.next(); inst.indices.push(this.expectInt()); }
        let ty = agg.type;
        if (op === "extractvalue") {
          for (const ix of inst.indices) ty = ty.kind === "struct" ? (ty as T.StructType).elems![ix]! : (ty as T.ArrayType).elem;
        }
        inst.type = ty;
        break;
      }
      case "va_arg": {
        inst = new Instruction(op, V, []);
        inst.operands.push(this.parseTypedValue()); this.expectP(",");
        inst.type = this.parseType();
        break;
      }
      case "call": case "invoke": case "callbr": inst = this.parseCall(op, tail); break;
      case "landingpad": {
        inst = new Instruction(op, this.parseType(), []);
        inst.clauses = [];
        if (this.eatKw("cleanup")) inst.cleanup = true;
        while (this.isKw("catch") || this.isKw("filter")) {
          const kind = this.next().t as "catch" | "filter";
          inst.clauses.push({ kind, value: this.parseTypedValue() });
        }
        break;
      }
      default:
        if (CAST_OPS.has(op)) {
          inst = new Instruction(op, V, []);
          this.parseFlags(inst);
          inst.operands.push(this.parseTypedValue());
          this.expectKw("to");
          inst.type = this.parseType();
          break;
        }
        if (BIN_OPS.has(op)) {
          inst = new Instruction(op, V, []);
          this.parseFlags(inst);
          const ty = this.parseType();
          const a = this.parseValue(ty); this.expectP(",");
          inst.operands.push(a, this.parseValue(ty));
          inst.type = ty;
          break;
        }
        return this.unsupported(`instruction '${op}'`, opTok);
    }
    if (op !== "load" && op !== "store" && op !== "cmpxchg" && op !== "atomicrmw" && op !== "fence")
      inst.md = this.parseMDAttachments(inst.md, true);
    return inst;
  }

  private parseCall(op: string, tail: Instruction["tail"]): Instruction {
    const inst = new Instruction(op, T.voidType, []);
    if (tail) inst.tail = tail;
    this.parseFlags(inst);
    if (this.tok.k === "kw" && (this.tok.t === "cc" || (/cc$/.test(this.tok.t) && !ATTR_KWS.has(this.tok.t)))) {
      inst.cconv = this.next().t;
      if (inst.cconv === "cc") inst.cconv += " " + this.expectInt();
    }
    const ra = this.parseAttrs();
    if (ra.length) inst.retAttrs = ra;
    if (this.isKw("addrspace")) { this.next(); this.expectP("("); inst.addrspace = this.expectInt(); this.expectP(")"); }
    const ty = this.parseType();
    const callee = this.parseValue(ty.kind === "function" ? ty : T.ptr);
    this.expectP("(", "to start the arguments of the call");
    const args: Value[] = [];
    const argAttrs: AttrList[] = [];
    let anyAttrs = false;
    if (!this.isP(")")) {
      do {
        const aty = this.parseType();
        const attrs = this.parseAttrs();
        if (attrs.length) anyAttrs = true;
        argAttrs.push(attrs);
        args.push(aty.kind === "metadata" ? this.parseMetadataOperand() : this.parseValue(aty));
      } while (this.eatP(","));
    }
    this.expectP(")");
    inst.fnType = ty.kind === "function" ? ty as FunctionType : T.functionType(ty, args.map((a) => a.type), false);
    inst.type = inst.fnType.ret;
    if (anyAttrs) inst.argAttrs = argAttrs;
    const groups: AttributeGroup[] = [];
    const fa = this.parseAttrs(false, groups);
    if (fa.length) inst.fnAttrs = fa;
    if (groups.length) inst.attrGroups = groups;
    if (this.isP("[")) {
      this.next();
      inst.bundles = [];
      if (!this.isP("]")) {
        do {
          const tag = this.expectStr();
          const b: OperandBundle = { tag, values: [] };
          this.expectP("(");
          if (!this.isP(")")) do b.values.push(this.parseTypedValue()); while (this.eatP(","));
          this.expectP(")");
          inst.bundles.push(b);
        } while (this.eatP(","));
      }
      this.expectP("]");
    }
    if (op === "invoke") {
      this.expectKw("to");
      const normal = this.parseBlockRef();
      this.expectKw("unwind");
      inst.blocks = [normal, this.parseBlockRef()];
    } else if (op === "callbr") {
      this.expectKw("to");
      inst.blocks = [this.parseBlockRef()];
      this.expectP("[");
      if (!this.isP("]")) do inst.blocks.push(this.parseBlockRef()); while (this.eatP(","));
      this.expectP("]");
    }
    inst.operands = [...args, callee];
    return inst;
  }
}
