// The runtime's side of the retrofit ABI as the instrumenter sees it
// (docs/retrofit-abi.md §5): declarations of the runtime's globals and entry
// points, added to a module on first use, and the ABI's constants.
import { addFunction, addGlobal, FloatType, Function as YFunction, FunctionType, IntType, PtrType, floatType, functionType, i8, i32, i64, ptr, voidType } from "../ykir/index.js";
import type { Function, GlobalVariable, Instruction, Module, Type } from "../ykir/index.js";

/** The call interpreter authors write (ykts.h maps yk_mt_control_point to it). */
export const CONTROL_POINT = "__ykts_control_point";
/** Abort reason a clone reports for a control point in a deeper frame (shim.h). */
export const ABORT_DEEPER_CP = 4;
/** Status of __ykts_cp_slow meaning "the function returned". */
export const STATUS_RETURNED = -1;
/** Offset of the backoff skip count (u32) in the runtime's state of an installed trace (shim.h YKTS_LOC_STATE_SKIP_OFFSET). */
export const LOC_STATE_SKIP_OFFSET = 4;

/** Functions that are part of the runtime or of LLVM: never redirected to clones. */
export function isRuntimeOrIntrinsic(name: string | null): boolean {
  return name !== null && (name.startsWith("llvm.") || name.startsWith("__ykts_") || name.startsWith("yk_"));
}

/**
 * Whether the instrumenter gives `f` a traced clone, whose blocks a
 * recording lists: every definition but available_externally ones, the
 * runtime's and intrinsics, and variadic functions (a resume entry could not
 * rebuild their va_list). jitd's validator and trace builder ask the same:
 * a call to any other function records nothing and is made to the original.
 */
export function hasTracedClone(f: { isDeclaration: boolean; linkage?: string | null; name: string | null; fnType: { varargs: boolean } }): boolean {
  return !f.isDeclaration && f.linkage !== "available_externally" && !isRuntimeOrIntrinsic(f.name) && !f.fnType.varargs;
}

const GLOBALS: Record<string, Type> = {
  __ykts_recording: i8,
  __ykts_hot_limit: i64,
  __ykts_debug_resume: i8,
  __ykts_resume_point: i32,
  __ykts_resume_base: i8,
  __ykts_resume_buf: ptr,
  __ykts_cp_out: ptr,
  __ykts_stopped_site: i32,
  __ykts_stopped_loc: ptr,
  __ykts_record_loc: ptr,
};
export type RuntimeGlobal = keyof typeof GLOBALS;

const FUNCTIONS: Record<string, FunctionType> = {
  __ykts_record_block: new FunctionType(voidType, [ptr, i32], false),
  __ykts_record_abort: new FunctionType(voidType, [i32], false),
  __ykts_record_other_loc: new FunctionType(i8, [ptr], false),
  __ykts_clone_of: new FunctionType(ptr, [ptr], false),
  __ykts_cp_slow: new FunctionType(i32, [ptr, ptr, ptr, ptr], false),
  __ykts_promote_i64: new FunctionType(i64, [i64], false),
  __ykts_promote_u64: new FunctionType(i64, [i64], false),
  __ykts_promote_i32: new FunctionType(i32, [i32], false),
  __ykts_promote_u32: new FunctionType(i32, [i32], false),
  __ykts_promote_f64: functionType(floatType("double"), [floatType("double")]),
  __ykts_promote_f32: functionType(floatType("float"), [floatType("float")]),
  __ykts_promote_ptr: new FunctionType(ptr, [ptr], false),
};
export type RuntimeFunction = keyof typeof FUNCTIONS;

/**
 * Promotion (ykts.h `yk_promote`): `__ykts_promote_<kind>(x)` returns x and,
 * while recording, appends it to the recording (docs/protocol.md: kind 1
 * i64, 2 u64, 3 i32, 4 u32, 5 f64, 6 f32, 7 ptr). A trace guards on the
 * recorded value and uses it as a constant.
 */
export const PROMOTE_PREFIX = "__ykts_promote_";
export type PromoteKind = "i64" | "u64" | "i32" | "u32" | "f64" | "f32" | "ptr";
export const PROMOTE_KINDS: readonly PromoteKind[] = ["i64", "u64", "i32", "u32", "f64", "f32", "ptr"];

/** The kind of a call to `__ykts_promote_<kind>`, or null for any other instruction. */
export function promoteCallKind(i: Instruction): PromoteKind | null {
  if (i.opcode !== "call" || !(i.callee instanceof YFunction)) return null;
  const name = i.callee.name ?? "";
  if (!name.startsWith(PROMOTE_PREFIX)) return null;
  const k = name.slice(PROMOTE_PREFIX.length) as PromoteKind;
  return PROMOTE_KINDS.includes(k) ? k : null;
}

/**
 * How a value of type `t` is recorded like a promoted value (the result of
 * an idempotent call in a traced clone): integers of up to 32 bits as u32,
 * up to 64 as u64 (narrower ones zero-extended first, the trace builder
 * truncates back), i32/i64 as themselves, double, float and pointers as
 * f64, f32, ptr. null: a value of this type is not recorded.
 */
export function recordKindOf(t: Type): PromoteKind | null {
  if (t instanceof IntType) {
    if (t.bits === 64) return "i64";
    if (t.bits === 32) return "i32";
    if (t.bits < 32) return "u32";
    if (t.bits < 64) return "u64";
    return null;
  }
  if (t instanceof PtrType) return t.addrspace ? null : "ptr";
  if (t instanceof FloatType) return t.fkind === "double" ? "f64" : t.fkind === "float" ? "f32" : null;
  return null;
}

/** Looks up or declares runtime symbols in one module. */
export class RuntimeDecls {
  private readonly globals = new Map<string, GlobalVariable>();
  private readonly fns = new Map<string, Function>();
  constructor(private readonly m: Module) {}

  global(name: RuntimeGlobal): GlobalVariable {
    let g = this.globals.get(name) ?? this.m.getGlobal(name);
    if (!g) g = addGlobal(this.m, name, GLOBALS[name]!, null);
    this.globals.set(name, g);
    return g;
  }
  globalType(name: RuntimeGlobal): Type { return GLOBALS[name]!; }

  fn(name: RuntimeFunction): Function {
    let f = this.fns.get(name) ?? this.m.getFunction(name);
    if (!f) f = addFunction(this.m, name, FUNCTIONS[name]!, { linkage: "" });
    this.fns.set(name, f);
    return f;
  }
}

