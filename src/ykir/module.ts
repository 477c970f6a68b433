// ykir containers: module, global values (variables, functions, aliases,
// ifuncs), basic blocks and comdats.
import { Constant } from "./constants.js";
import { Value, Argument } from "./value.js";
import type { Type, FunctionType, StructType } from "./types.js";
import { ptrType, labelType } from "./types.js";
import type { Instruction } from "./instruction.js";
import type { AttrList, AttributeGroup } from "./attributes.js";
import type { MDAttachment, MDNode, NamedMD } from "./metadata.js";
import { TBAAResolver } from "./metadata.js";

export class Comdat {
  constructor(public name: string, public kind: string) {}
}

/** Fields shared by global variables, functions, aliases and ifuncs. name null = unnamed (@N). */
export abstract class GlobalValue extends Constant {
  linkage = "";
  preemption = "";
  visibility = "";
  dllStorage = "";
  threadLocal = "";
  unnamedAddr = "";
  addrspace = 0;
  declare partition?: string;
  declare md?: MDAttachment[];
  constructor(public name: string | null) { super(ptrType(0)); }
}

export class GlobalVariable extends GlobalValue {
  readonly vkind = "global";
  valueType!: Type;
  isConstantGlobal = false;
  externallyInitialized = false;
  initializer: Constant | null = null;
  declare section?: string;
  declare comdat?: Comdat;
  declare align?: number;
  declare codeModel?: string;
  /** Trailing `, no_sanitize_address`-style keywords and attribute groups. */
  declare sanitizer?: string[];
  declare attrGroups?: AttributeGroup[];
}

export class Function extends GlobalValue {
  readonly vkind = "function";
  fnType!: FunctionType;
  args: Argument[] = [];
  blocks: BasicBlock[] = [];
  cconv = "";
  retAttrs: AttrList = [];
  fnAttrs: AttrList = [];
  attrGroups: AttributeGroup[] = [];
  declare section?: string;
  declare comdat?: Comdat;
  declare align?: number;
  declare gc?: string;
  declare prefix?: Constant;
  declare prologue?: Constant;
  declare personality?: Constant;
  get isDeclaration(): boolean { return this.blocks.length === 0; }
  get entry(): BasicBlock | undefined { return this.blocks[0]; }
}

export class GlobalAlias extends GlobalValue {
  readonly vkind = "alias";
  valueType!: Type;
  aliasee!: Constant;
}
export class GlobalIFunc extends GlobalValue {
  readonly vkind = "ifunc";
  valueType!: Type;
  resolver!: Constant;
}

export class BasicBlock extends Value {
  readonly vkind = "block";
  instructions: Instruction[] = [];
  parent: Function | null = null;
  constructor(public name: string | null) { super(labelType); }
  get terminator(): Instruction | undefined {
    const last = this.instructions[this.instructions.length - 1];
    return last && last.isTerminator ? last : undefined;
  }
  append(inst: Instruction): Instruction { inst.parent = this; this.instructions.push(inst); return inst; }
}

export class Module {
  declare sourceFilename?: string;
  declare datalayout?: string;
  declare triple?: string;
  moduleAsm: string[] = [];
  namedTypes: StructType[] = [];
  comdats: Comdat[] = [];
  globals: GlobalVariable[] = [];
  aliases: GlobalAlias[] = [];
  ifuncs: GlobalIFunc[] = [];
  functions: Function[] = [];
  attrGroups: AttributeGroup[] = [];
  namedMD: NamedMD[] = [];
  mdNodes: MDNode[] = [];
  /** ThinLTO summary entries (`^N = ...`, from -flto), kept verbatim. */
  summary: { id: number; text: string }[] = [];

  getFunction(name: string): Function | undefined { return this.functions.find((f) => f.name === name); }
  getGlobal(name: string): GlobalVariable | undefined { return this.globals.find((g) => g.name === name); }
  getNamedType(name: string): StructType | undefined { return this.namedTypes.find((t) => t.name === name); }
  mdNode(id: number): MDNode | undefined { return this.mdNodes.find((n) => n.id === id); }

  /** Attaches parsed TBAA tags to every `!tbaa` attachment whose node is a TBAA access tag. */
  resolveTBAA(): void {
    const resolver = new TBAAResolver(new Map(this.mdNodes.map((n) => [n.id, n])));
    for (const f of this.functions)
      for (const b of f.blocks)
        for (const i of b.instructions)
          for (const m of i.md ?? []) {
            if (m.kind !== "tbaa") continue;
            const id = /^!(\d+)$/.exec(m.ref);
            const tag = id ? resolver.tag(Number(id[1])) : null;
            if (tag) m.tbaa = tag; else delete m.tbaa;
          }
  }
  /** Next free metadata node id, for nodes created programmatically (existing ids are printed as read). */
  newMDNodeId(): number { return this.mdNodes.reduce((m, n) => Math.max(m, n.id + 1), 0); }
  /** Next free attribute group id, for groups created programmatically. */
  newAttrGroupId(): number { return this.attrGroups.reduce((m, g) => Math.max(m, g.id + 1), 0); }
}

export { Value, Argument };
