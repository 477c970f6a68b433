// ykir instructions: one class for all opcodes. Value operands live in
// `operands` (so generic walks see every use) and successor/incoming blocks in
// `blocks`; opcode-specific details are optional fields. Layout per opcode:
//   ret [v]            br [] / [cond] blocks [dest] / [then, else]
//   switch [cond, caseVals...] blocks [default, caseDests...]
//   indirectbr [addr] blocks [dests...]     phi [vals...] blocks [preds...]
//   call/invoke [args..., callee]  (invoke blocks [normal, unwind])
//   load [ptr]  store [val, ptr]  gep [base, idx...]  alloca [] / [count]
//   cmpxchg [ptr, cmp, new]  atomicrmw [ptr, val]  select [c, a, b]
//   extractvalue [agg] + indices  insertvalue [agg, v] + indices
//   casts, fneg, freeze, va_arg [v]; binary ops and compares [a, b]
import { Value } from "./value.js";
import type { Type, FunctionType } from "./types.js";
import type { Opcode } from "./opcodes.js";
import { opcodeInfo } from "./opcodes.js";
import type { AttrList, AttributeGroup } from "./attributes.js";
import type { MDAttachment } from "./metadata.js";
import type { BasicBlock } from "./module.js";

/** `[ "tag"(ty v, ...) ]` operand bundle on a call. */
export interface OperandBundle { tag: string; values: Value[]; }

/** `#dbg_value(...)`, `#dbg_declare(...)`, ...: debug records attached before an instruction. */
export class DebugRecord {
  constructor(public kind: string, public args: Value[]) {}
}

/** landingpad clause: `catch ptr @x` / `filter [0 x ptr] zeroinitializer`. */
export interface LandingPadClause { kind: "catch" | "filter"; value: Value; }

export class Instruction extends Value {
  readonly vkind = "inst";
  parent: BasicBlock | null = null;
  blocks: BasicBlock[] = [];
  /** Keyword flags right after the opcode, in source order: nuw nsw exact disjoint nneg inbounds nusw, fast-math, atomic volatile weak inalloca. */
  flags: string[] = [];
  declare predicate?: string;
  /** alloca: allocated type; getelementptr: source element type. */
  declare elemType?: Type;
  declare align?: number;
  declare ordering?: string;
  declare failureOrdering?: string;
  declare syncscope?: string;
  declare rmwOp?: string;
  declare indices?: number[];
  declare addrspace?: number;
  // calls
  declare fnType?: FunctionType;
  declare tail?: "tail" | "musttail" | "notail";
  declare cconv?: string;
  declare retAttrs?: AttrList;
  declare argAttrs?: AttrList[];
  declare fnAttrs?: AttrList;
  declare attrGroups?: AttributeGroup[];
  declare bundles?: OperandBundle[];
  // landingpad
  declare cleanup?: boolean;
  declare clauses?: LandingPadClause[];
  /** Metadata attachments (`!tbaa`, `!dbg`, `!llvm.loop`, ...), in source order. */
  declare md?: MDAttachment[];
  /** Debug records printed before this instruction. */
  declare dbg?: DebugRecord[];

  constructor(public opcode: Opcode, type: Type, public operands: Value[], public name: string | null = null) {
    super(type);
  }

  get info() { return opcodeInfo(this.opcode); }
  get isTerminator(): boolean { return this.info.terminator; }
  /** For call/invoke: the called value (last operand). */
  get callee(): Value { return this.operands[this.operands.length - 1]!; }
  get args(): Value[] { return this.operands.slice(0, this.operands.length - 1); }
  /** Successor blocks of a terminator (phi's blocks are predecessors, not successors). */
  get successors(): BasicBlock[] { return this.isTerminator ? this.blocks : []; }
  getMD(kind: string): MDAttachment | undefined { return this.md?.find((m) => m.kind === kind); }
  hasFlag(f: string): boolean { return this.flags.includes(f); }
}
