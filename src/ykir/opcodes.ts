// The one table of ykir opcodes and their properties. Passes look properties
// up here (isTerminator, side effects, memory behaviour, CSE-ability, ...)
// instead of repeating switches over opcode names.

export type OpClass =
  | "terminator" | "unary" | "binary" | "fbinary" | "vector" | "aggregate"
  | "memory" | "cast" | "compare" | "other";

export interface OpcodeInfo {
  name: string;
  cls: OpClass;
  terminator: boolean;
  /** Must be kept even when its result is unused (stores, calls, fences, ...). */
  sideEffects: boolean;
  mayRead: boolean;
  mayWrite: boolean;
  /** Same operands and flags ⇒ same result, no memory dependence: safe to CSE/hoist/fold. */
  pure: boolean;
  commutative: boolean;
  /** Also allowed as a constant expression in LLVM 19. */
  constExpr: boolean;
}

function op(name: string, cls: OpClass, p: Partial<Omit<OpcodeInfo, "name" | "cls">> = {}): OpcodeInfo {
  const pure = p.pure ?? !(p.terminator || p.sideEffects || p.mayRead || p.mayWrite);
  return {
    name, cls, terminator: false, sideEffects: false, mayRead: false, mayWrite: false,
    commutative: false, constExpr: false, ...p, pure,
  };
}
const term = (name: string, p: Partial<OpcodeInfo> = {}) => op(name, "terminator", { terminator: true, sideEffects: true, pure: false, ...p });
const bin = (name: string, p: Partial<OpcodeInfo> = {}) => op(name, "binary", p);
const fbin = (name: string, p: Partial<OpcodeInfo> = {}) => op(name, "fbinary", p);
const cast = (name: string, constExpr = true) => op(name, "cast", { constExpr });
const call = { sideEffects: true, mayRead: true, mayWrite: true, pure: false };

const TABLE: OpcodeInfo[] = [
  term("ret"), term("br"), term("switch"), term("indirectbr"), term("unreachable"),
  term("invoke", call), term("callbr", call), term("resume"),
  term("catchswitch"), term("catchret"), term("cleanupret"),
  op("fneg", "unary"),
  bin("add", { commutative: true, constExpr: true }), bin("sub", { constExpr: true }),
  bin("mul", { commutative: true, constExpr: true }),
  bin("udiv"), bin("sdiv"), bin("urem"), bin("srem"),
  bin("shl", { constExpr: true }), bin("lshr"), bin("ashr"),
  bin("and", { commutative: true }), bin("or", { commutative: true }), bin("xor", { commutative: true, constExpr: true }),
  fbin("fadd", { commutative: true }), fbin("fsub"), fbin("fmul", { commutative: true }), fbin("fdiv"), fbin("frem"),
  op("extractelement", "vector", { constExpr: true }), op("insertelement", "vector", { constExpr: true }),
  op("shufflevector", "vector", { constExpr: true }),
  op("extractvalue", "aggregate"), op("insertvalue", "aggregate"),
  op("alloca", "memory", { pure: false }),
  op("load", "memory", { mayRead: true }),
  op("store", "memory", { mayWrite: true, sideEffects: true }),
  op("fence", "memory", { sideEffects: true, mayRead: true, mayWrite: true }),
  op("cmpxchg", "memory", { sideEffects: true, mayRead: true, mayWrite: true }),
  op("atomicrmw", "memory", { sideEffects: true, mayRead: true, mayWrite: true }),
  op("getelementptr", "memory", { constExpr: true, pure: true }),
  cast("trunc"), cast("zext", false), cast("sext", false), cast("fptrunc", false), cast("fpext", false),
  cast("fptoui", false), cast("fptosi", false), cast("uitofp", false), cast("sitofp", false),
  cast("ptrtoint"), cast("inttoptr"), cast("bitcast"), cast("addrspacecast"),
  op("icmp", "compare", { constExpr: true }), op("fcmp", "compare", { constExpr: true }),
  op("phi", "other", { pure: false }), op("select", "other"), op("freeze", "other", { pure: false }),
  op("call", "other", call), op("va_arg", "other", { sideEffects: true, mayRead: true, mayWrite: true }),
  op("landingpad", "other", { sideEffects: true, pure: false }),
  op("catchpad", "other", { sideEffects: true, pure: false }), op("cleanuppad", "other", { sideEffects: true, pure: false }),
];

export type Opcode = string;
export const OPCODES: ReadonlyMap<string, OpcodeInfo> = new Map(TABLE.map((o) => [o.name, o]));

export function opcodeInfo(name: string): OpcodeInfo {
  const o = OPCODES.get(name);
  if (!o) throw new Error(`unknown opcode '${name}'`);
  return o;
}
export const isOpcode = (name: string): boolean => OPCODES.has(name);
export const isTerminator = (name: string): boolean => OPCODES.get(name)?.terminator ?? false;

/** Keyword flags allowed right after each kind of opcode (wrap, exact, fast-math, ...). */
export const FAST_MATH_FLAGS = new Set(["fast", "nnan", "ninf", "nsz", "arcp", "contract", "afn", "reassoc"]);
export const INT_FLAGS = new Set(["nuw", "nsw", "exact", "disjoint", "nneg", "inbounds", "nusw"]);
export const ORDERINGS = new Set(["unordered", "monotonic", "acquire", "release", "acq_rel", "seq_cst"]);
export const RMW_OPS = new Set([
  "xchg", "add", "sub", "and", "nand", "or", "xor", "max", "min", "umax", "umin",
  "fadd", "fsub", "fmax", "fmin", "uinc_wrap", "udec_wrap", "usub_cond", "usub_sat",
]);
export const ICMP_PREDS = new Set(["eq", "ne", "ugt", "uge", "ult", "ule", "sgt", "sge", "slt", "sle"]);
export const FCMP_PREDS = new Set(["false", "oeq", "ogt", "oge", "olt", "ole", "one", "ord", "ueq", "ugt", "uge", "ult", "ule", "une", "uno", "true"]);
