// Function annotations (`__attribute__((annotate("...")))`) as clang leaves
// them in a module: `@llvm.global.annotations`, an array of
// `{ ptr fn, ptr str, ptr file, i32 line, ptr args }`, whose `str` names a
// private constant C string. ykts.h marks functions with "yk_idempotent"
// (YK_IDEMPOTENT) and "yk_outline" (YK_OUTLINE); clang lists declarations
// that carry the attribute as well as definitions, so a unit knows the
// annotations of every function it calls through a prototype.
import { ConstantAggregate, ConstantExpr, ConstantString, Function, GlobalVariable } from "../ykir/index.js";
import type { Constant, Module } from "../ykir/index.js";

export const IDEMPOTENT = "yk_idempotent";
export const OUTLINE = "yk_outline";

/** The annotations of each function of `m`, by function name. */
export function functionAnnotations(m: Module): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const init = m.getGlobal("llvm.global.annotations")?.initializer;
  if (!(init instanceof ConstantAggregate)) return out;
  for (const e of init.elems) {
    if (!(e instanceof ConstantAggregate) || e.elems.length < 2) continue;
    const fn = stripCasts(e.elems[0]!);
    const text = cString(stripCasts(e.elems[1]!));
    if (!(fn instanceof Function) || fn.name === null || text === null) continue;
    let set = out.get(fn.name);
    if (!set) out.set(fn.name, (set = new Set()));
    set.add(text);
  }
  return out;
}

function stripCasts(c: Constant): Constant {
  let x = c;
  while (x instanceof ConstantExpr && (x.opcode === "bitcast" || x.opcode === "addrspacecast" || x.opcode === "getelementptr")) x = x.operands[0]!;
  return x;
}

function cString(c: Constant): string | null {
  if (!(c instanceof GlobalVariable) || !(c.initializer instanceof ConstantString)) return null;
  const d = c.initializer.data;
  const nul = d.indexOf("\0");
  return nul < 0 ? d : d.slice(0, nul);
}
