// The base of every ykir value (anything an instruction can use as an operand)
// and the small non-constant, non-instruction values: function arguments,
// inline asm callees, metadata operands and forward-reference placeholders.
import type { Type } from "./types.js";
import { metadataType } from "./types.js";

/** Discriminator of value classes, so hot code can switch without instanceof chains. */
export type ValueKind =
  | "arg" | "inst" | "block" | "function" | "global" | "alias" | "ifunc"
  | "int" | "fp" | "null" | "undef" | "poison" | "zero" | "none" | "string" | "aggregate" | "splat"
  | "blockaddress" | "expr" | "dsolocal" | "nocfi"
  | "asm" | "md" | "fwd";

export abstract class Value {
  abstract readonly vkind: ValueKind;
  constructor(public type: Type) {}
  get isConstant(): boolean { return false; }
}

/** A function parameter. name null = unnamed (numbered by the printer). */
export class Argument extends Value {
  readonly vkind = "arg";
  attrs: import("./attributes.js").AttrList = [];
  constructor(type: Type, public name: string | null, public index: number) { super(type); }
}

/** `asm [sideeffect] [alignstack] [inteldialect] [unwind] "asm", "constraints"` used as a callee. */
export class InlineAsm extends Value {
  readonly vkind = "asm";
  constructor(type: Type, public asm: string, public constraints: string, public flags: string[]) { super(type); }
}

/**
 * A metadata operand (of a call to an intrinsic or of a debug record).
 * Either a wrapped value (`ptr %x`), a list of them (`!DIArgList(...)`), or
 * metadata text kept verbatim (`!12`, `!"round.dynamic"`, `!DIExpression()`).
 */
export class MetadataOperand extends Value {
  readonly vkind = "md";
  declare value?: Value;
  declare args?: Value[];
  declare text?: string;
  constructor() { super(metadataType); }
  static ofText(text: string): MetadataOperand { const m = new MetadataOperand(); m.text = text; return m; }
  static ofValue(v: Value): MetadataOperand { const m = new MetadataOperand(); m.value = v; return m; }
  static ofArgs(vs: Value[]): MetadataOperand { const m = new MetadataOperand(); m.args = vs; return m; }
}

/** Placeholder for a local value used before its definition; replaced when the function is complete. */
export class ForwardRef extends Value {
  readonly vkind = "fwd";
  constructor(type: Type, public name: string) { super(type); }
}
