// Buffer layouts the instrumenter shares with the runtime: a live struct or
// resume buffer is the LLVM literal struct `{ [16 x i8], T0, T1, ... }`
// (a 16-byte slot for a return or incoming value, then the live values). Its
// size is left to LLVM: `ptrtoint (getelementptr (S, ptr null, i32 1))`.
import { ArrayType, ConstantExpr, ConstantNull, StructType, arrayType, i8, i32, i64, ptr, structType } from "../ykir/index.js";
import type { Type, Value } from "../ykir/index.js";
import { constInt } from "../ykir/index.js";

export const SLOT_TYPE: ArrayType = arrayType(16, i8);

export function bufferType(live: Value[]): StructType {
  return structType([SLOT_TYPE, ...live.map((v) => v.type)], false);
}

/** `sizeof(S)` as an integer constant expression of type `intTy`. */
export function sizeOf(s: Type, intTy: Type = i64): ConstantExpr {
  const gep = new ConstantExpr(ptr, "getelementptr", [new ConstantNull(ptr), constInt(i32, 1)]);
  gep.elemType = s;
  return new ConstantExpr(intTy, "ptrtoint", [gep]);
}
