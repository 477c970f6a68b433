// Building ykir programmatically: new functions, blocks and instructions with
// their result types worked out, inserted at the end of a block or before an
// existing instruction. New values are unnamed unless given a name; the
// printer numbers them, so a changed module always prints as valid IR.
import * as T from "./types.js";
import type { Type, FunctionType } from "./types.js";
import { Value, Argument } from "./value.js";
import { ConstantInt, ConstantFP, ConstantNull, ConstantUndef, ConstantPoison } from "./constants.js";
import { Instruction } from "./instruction.js";
import { Module, Function, BasicBlock, GlobalVariable } from "./module.js";
import type { AttributeGroup, AttrList } from "./attributes.js";

export const constInt = (ty: Type, v: number | bigint): ConstantInt =>
  new ConstantInt(ty, BigInt.asUintN((ty as T.IntType).bits, BigInt(v)));
export const constFloat = (ty: T.FloatType, v: number): ConstantFP => ConstantFP.of(ty, v);
export const constNull = (ty: Type = T.ptr): ConstantNull => new ConstantNull(ty);
export const undef = (ty: Type): ConstantUndef => new ConstantUndef(ty);
export const poison = (ty: Type): ConstantPoison => new ConstantPoison(ty);

/** Adds a function (a declaration until blocks are added) to a module. */
export function addFunction(m: Module, name: string, fnType: FunctionType, opts: { linkage?: string; argNames?: (string | null)[] } = {}): Function {
  const f = new Function(name);
  f.fnType = fnType;
  f.linkage = opts.linkage ?? "";
  f.args = fnType.params.map((t, i) => new Argument(t, opts.argNames?.[i] ?? null, i));
  m.functions.push(f);
  return f;
}

/** Adds a global variable; initializer null makes it an external declaration. */
export function addGlobal(m: Module, name: string, valueType: Type, init: import("./constants.js").Constant | null, opts: { linkage?: string; constant?: boolean; align?: number } = {}): GlobalVariable {
  const g = new GlobalVariable(name);
  g.valueType = valueType;
  g.initializer = init;
  g.linkage = opts.linkage ?? (init ? "" : "external");
  g.isConstantGlobal = opts.constant ?? false;
  if (opts.align !== undefined) g.align = opts.align;
  m.globals.push(g);
  return g;
}

/** Adds a named struct type to a module (elems null = opaque); the printer defines every type in Module.namedTypes. */
export function addNamedStruct(m: Module, name: string, elems: Type[] | null, packed = false): T.StructType {
  if (m.getNamedType(name)) throw new Error(`addNamedStruct: %${name} already exists`);
  const t = new T.StructType(name, elems, packed);
  m.namedTypes.push(t);
  return t;
}

/** Appends a new block to a function (after `after` if given). */
export function addBlock(f: Function, name: string | null = null, after?: BasicBlock): BasicBlock {
  const b = new BasicBlock(name);
  b.parent = f;
  const at = after ? f.blocks.indexOf(after) + 1 : f.blocks.length;
  f.blocks.splice(at, 0, b);
  return b;
}

export class IRBuilder {
  private block: BasicBlock | null = null;
  private before: Instruction | null = null;

  /** Insert at the end of `b`. */
  atEnd(b: BasicBlock): this { this.block = b; this.before = null; return this; }
  /** Insert before `inst` (in its block). */
  beforeInst(inst: Instruction): this {
    if (!inst.parent) throw new Error("IRBuilder.beforeInst: instruction is not in a block");
    this.block = inst.parent; this.before = inst; return this;
  }

  insert(inst: Instruction): Instruction {
    const b = this.block;
    if (!b) throw new Error("IRBuilder: no insertion point");
    inst.parent = b;
    if (this.before) b.instructions.splice(b.instructions.indexOf(this.before), 0, inst);
    else b.instructions.push(inst);
    return inst;
  }

  private make(op: string, ty: Type, ops: Value[], name: string | null, flags: string[] = []): Instruction {
    const i = new Instruction(op, ty, ops, name);
    i.flags = flags;
    return this.insert(i);
  }

  binop(op: string, a: Value, b: Value, flags: string[] = [], name: string | null = null): Instruction {
    return this.make(op, a.type, [a, b], name, flags);
  }
  add(a: Value, b: Value, flags: string[] = [], name: string | null = null) { return this.binop("add", a, b, flags, name); }
  sub(a: Value, b: Value, flags: string[] = [], name: string | null = null) { return this.binop("sub", a, b, flags, name); }
  mul(a: Value, b: Value, flags: string[] = [], name: string | null = null) { return this.binop("mul", a, b, flags, name); }
  icmp(pred: string, a: Value, b: Value, name: string | null = null): Instruction {
    const ty = a.type.kind === "vector" ? T.vectorType((a.type as T.VectorType).length, T.i1) : T.i1;
    const i = this.make("icmp", ty, [a, b], name);
    i.predicate = pred;
    return i;
  }
  fcmp(pred: string, a: Value, b: Value, name: string | null = null): Instruction {
    const i = this.make("fcmp", T.i1, [a, b], name);
    i.predicate = pred;
    return i;
  }
  cast(op: string, v: Value, to: Type, name: string | null = null): Instruction { return this.make(op, to, [v], name); }
  select(c: Value, a: Value, b: Value, name: string | null = null): Instruction { return this.make("select", a.type, [c, a, b], name); }
  load(ty: Type, p: Value, align?: number, name: string | null = null): Instruction {
    const i = this.make("load", ty, [p], name);
    if (align !== undefined) i.align = align;
    return i;
  }
  store(v: Value, p: Value, align?: number): Instruction {
    const i = this.make("store", T.voidType, [v, p], null);
    if (align !== undefined) i.align = align;
    return i;
  }
  alloca(ty: Type, align?: number, name: string | null = null): Instruction {
    const i = this.make("alloca", T.ptr, [], name);
    i.elemType = ty;
    if (align !== undefined) i.align = align;
    return i;
  }
  gep(elemTy: Type, base: Value, indices: Value[], flags: string[] = [], name: string | null = null): Instruction {
    const i = this.make("getelementptr", base.type, [base, ...indices], name, flags);
    i.elemType = elemTy;
    return i;
  }
  phi(ty: Type, incoming: [Value, BasicBlock][] = [], name: string | null = null): Instruction {
    const i = this.make("phi", ty, incoming.map((x) => x[0]), name);
    i.blocks = incoming.map((x) => x[1]);
    return i;
  }
  /** Calls a function or function pointer; fnType is taken from a Function callee when omitted. */
  call(callee: Value, args: Value[], opts: { fnType?: FunctionType; name?: string | null; attrGroups?: AttributeGroup[]; fnAttrs?: AttrList; tail?: Instruction["tail"] } = {}): Instruction {
    const fnType = opts.fnType ?? (callee instanceof Function ? callee.fnType : undefined);
    if (!fnType) throw new Error("IRBuilder.call: fnType is needed for an indirect call");
    const i = this.make("call", fnType.ret, [...args, callee], opts.name ?? null);
    i.fnType = fnType;
    if (opts.attrGroups) i.attrGroups = opts.attrGroups;
    if (opts.fnAttrs) i.fnAttrs = opts.fnAttrs;
    if (opts.tail) i.tail = opts.tail;
    return i;
  }
  br(dest: BasicBlock): Instruction { const i = this.make("br", T.voidType, [], null); i.blocks = [dest]; return i; }
  condBr(c: Value, t: BasicBlock, f: BasicBlock): Instruction { const i = this.make("br", T.voidType, [c], null); i.blocks = [t, f]; return i; }
  switch(v: Value, def: BasicBlock, cases: [ConstantInt, BasicBlock][]): Instruction {
    const i = this.make("switch", T.voidType, [v, ...cases.map((c) => c[0])], null);
    i.blocks = [def, ...cases.map((c) => c[1])];
    return i;
  }
  ret(v?: Value): Instruction { return this.make("ret", T.voidType, v ? [v] : [], null); }
  unreachable(): Instruction { return this.make("unreachable", T.voidType, [], null); }
}
