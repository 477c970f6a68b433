// ykir constants: integers of any width (bigint), floating point (kept in
// LLVM's own literal form so nothing is lost, with a numeric view for
// float/double), null/undef/poison/zeroinitializer, strings, aggregates,
// blockaddress and constant expressions.
import { Value } from "./value.js";
import type { Type, FunctionType } from "./types.js";
import { FloatType } from "./types.js";
import type { Opcode } from "./opcodes.js";

export abstract class Constant extends Value {
  override get isConstant(): boolean { return true; }
}

export class ConstantInt extends Constant {
  readonly vkind = "int";
  constructor(type: Type, public value: bigint) { super(type); }
  /** The value read as signed, in its type's width. */
  get signed(): bigint { return BigInt.asIntN((this.type as unknown as { bits: number }).bits, this.value); }
}

/** A floating-point constant; text is the LLVM literal (`1.000000e+00`, `0x3FF0...`, `0xK...`). */
export class ConstantFP extends Constant {
  readonly vkind = "fp";
  constructor(type: Type, public text: string) { super(type); }
  /** Numeric value for half/float/double (NaN payloads aside); undefined for wider types. */
  get value(): number | undefined { return fpLiteralValue(this.type as FloatType, this.text); }
  /** A double or float constant from a JS number, printed as an exact hex double. */
  static of(type: FloatType, x: number): ConstantFP {
    const buf = new DataView(new ArrayBuffer(8));
    buf.setFloat64(0, type.fkind === "float" ? Math.fround(x) : x);
    return new ConstantFP(type, "0x" + buf.getBigUint64(0).toString(16).toUpperCase().padStart(16, "0"));
  }
}

export function fpLiteralValue(t: FloatType, text: string): number | undefined {
  if (/^0x[0-9A-Fa-f]+$/.test(text)) {
    const bits = BigInt(text);
    const dv = new DataView(new ArrayBuffer(8));
    if (t.fkind === "half") {
      const h = Number(bits);
      const s = h >> 15 ? -1 : 1, e = (h >> 10) & 31, f = h & 1023;
      if (e === 0) return s * f * 2 ** -24;
      if (e === 31) return f ? NaN : s * Infinity;
      return s * (1 + f / 1024) * 2 ** (e - 15);
    }
    if (t.fkind === "float" || t.fkind === "double") { dv.setBigUint64(0, bits); return dv.getFloat64(0); }
    return undefined;
  }
  if (/^0x[KLMHR]/.test(text)) {
    if (text[2] === "H" && t.fkind === "half") return fpLiteralValue(t, "0x" + text.slice(3));
    return undefined;
  }
  return Number(text);
}

export class ConstantNull extends Constant { readonly vkind = "null"; }
export class ConstantUndef extends Constant { readonly vkind = "undef"; }
export class ConstantPoison extends Constant { readonly vkind = "poison"; }
/** zeroinitializer */
export class ConstantZero extends Constant { readonly vkind = "zero"; }
/** `none` (token) */
export class ConstantNone extends Constant { readonly vkind = "none"; }

/** `c"..."`: data holds one JS char per byte. */
export class ConstantString extends Constant {
  readonly vkind = "string";
  constructor(type: Type, public data: string) { super(type); }
}

/** Array, struct or vector constant; which one follows from the type. */
export class ConstantAggregate extends Constant {
  readonly vkind = "aggregate";
  constructor(type: Type, public elems: Constant[]) { super(type); }
}

/** `splat (T v)`: a vector (fixed or scalable) with every element v. */
export class ConstantSplat extends Constant {
  readonly vkind = "splat";
  constructor(type: Type, public value: Constant) { super(type); }
}

export class BlockAddress extends Constant {
  readonly vkind = "blockaddress";
  constructor(type: Type, public fn: import("./module.js").Function, public block: import("./module.js").BasicBlock) { super(type); }
}

export class DSOLocalEquivalent extends Constant {
  readonly vkind = "dsolocal";
  constructor(type: Type, public global: Constant) { super(type); }
}
export class NoCFIValue extends Constant {
  readonly vkind = "nocfi";
  constructor(type: Type, public global: Constant) { super(type); }
}

/**
 * Constant expression: `getelementptr`, casts, binary ops, icmp/fcmp,
 * extractelement, insertelement, shufflevector. Operands as for the
 * instruction with the same opcode; type is the result type.
 */
export class ConstantExpr extends Constant {
  readonly vkind = "expr";
  flags: string[] = [];
  declare predicate?: string;
  /** getelementptr source element type. */
  declare elemType?: Type;
  /** getelementptr `inrange(lo, hi)`. */
  declare inrange?: [bigint, bigint];
  constructor(type: Type, public opcode: Opcode, public operands: Constant[]) { super(type); }
}

export type { FunctionType };
