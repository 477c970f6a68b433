// The runtime's side of the retrofit ABI as the instrumenter sees it
// (docs/retrofit-abi.md §5): declarations of the runtime's globals and entry
// points, added to a module on first use, and the ABI's constants.
import { addFunction, addGlobal, FunctionType, i8, i32, i64, ptr, voidType } from "../ykir/index.js";
import type { Function, GlobalVariable, Module, Type } from "../ykir/index.js";

/** The call interpreter authors write (ykts.h maps yk_mt_control_point to it). */
export const CONTROL_POINT = "__ykts_control_point";
/** Abort reason a clone reports for a control point in a deeper frame (shim.h). */
export const ABORT_DEEPER_CP = 4;
/** Status of __ykts_cp_slow meaning "the function returned". */
export const STATUS_RETURNED = -1;

/** Functions that are part of the runtime or of LLVM: never redirected to clones. */
export function isRuntimeOrIntrinsic(name: string | null): boolean {
  return name !== null && (name.startsWith("llvm.") || name.startsWith("__ykts_") || name.startsWith("yk_"));
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
  __ykts_record_loc: ptr,
};
export type RuntimeGlobal = keyof typeof GLOBALS;

const FUNCTIONS: Record<string, FunctionType> = {
  __ykts_record_block: new FunctionType(voidType, [ptr, i32], false),
  __ykts_record_abort: new FunctionType(voidType, [i32], false),
  __ykts_clone_of: new FunctionType(ptr, [ptr], false),
  __ykts_cp_slow: new FunctionType(i32, [ptr, ptr, ptr, ptr], false),
};
export type RuntimeFunction = keyof typeof FUNCTIONS;

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

