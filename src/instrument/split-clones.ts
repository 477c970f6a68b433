// Moves the traced clones (and what only they use) into a module of their
// own, so that `ykts cc` can compile it without optimisation while the
// originals get the user's optimisation level. Clones of a big interpreter
// loop are large (one frame slot access per use, hundreds of resume
// entries); even with `optnone`, clang's -O2 register allocator spends
// seconds on them, the -O0 one milliseconds. The two objects are linked
// into one with `ld -r`, so the build still sees one object per source.
//
// Both modules refer to each other's symbols by name: every symbol crossing
// the split is external (internal ones were renamed by rename-internals;
// the descriptors, which clones use as marker arguments, become hidden).
import {
  BlockAddress, ConstantAggregate, ConstantExpr, DSOLocalEquivalent, Function, GlobalAlias, GlobalVariable, Module, NoCFIValue,
  MetadataOperand, FunctionType, Argument,
} from "../ykir/index.js";
import type { GlobalValue, Value } from "../ykir/index.js";

export function splitClones(m: Module, moveFns: Set<Function>, moveGlobals: Set<GlobalVariable>): Module {
  const c = new Module();
  c.sourceFilename = m.sourceFilename;
  c.datalayout = m.datalayout;
  c.triple = m.triple;
  c.namedTypes = m.namedTypes;
  c.attrGroups = m.attrGroups;
  c.mdNodes = m.mdNodes; // TBAA and loop metadata of the copied instructions
  c.namedMD = m.namedMD; // a compile unit must stay listed in llvm.dbg.cu
  c.functions = m.functions.filter((f) => moveFns.has(f));
  c.globals = m.globals.filter((g) => moveGlobals.has(g));
  m.functions = m.functions.filter((f) => !moveFns.has(f));
  m.globals = m.globals.filter((g) => !moveGlobals.has(g));

  // Declarations on each side for what the other side defines.
  declareReferenced(c, referencedBy(c));
  declareReferenced(m, referencedBy(m));
  return c;
}

/** Global values named by a module's function bodies and initializers. */
function referencedBy(m: Module): Set<GlobalValue> {
  const out = new Set<GlobalValue>();
  const seen = new Set<Value>();
  const visit = (v: Value): void => {
    if (seen.has(v)) return;
    seen.add(v);
    if (v instanceof Function || v instanceof GlobalVariable || v instanceof GlobalAlias) { out.add(v); return; }
    if (v instanceof ConstantExpr) v.operands.forEach(visit);
    else if (v instanceof ConstantAggregate) v.elems.forEach(visit);
    else if (v instanceof BlockAddress) out.add(v.fn);
    else if (v instanceof DSOLocalEquivalent || v instanceof NoCFIValue) visit(v.global);
    else if (v instanceof MetadataOperand) { if (v.value) visit(v.value); v.args?.forEach(visit); }
  };
  for (const f of m.functions) {
    for (const b of f.blocks)
      for (const i of b.instructions) {
        i.operands.forEach(visit);
        i.bundles?.forEach((bd) => bd.values.forEach(visit));
      }
    if (f.personality) visit(f.personality);
  }
  for (const g of m.globals) if (g.initializer) visit(g.initializer);
  return out;
}

function declareReferenced(m: Module, refs: Set<GlobalValue>): void {
  const have = new Set<string>();
  for (const list of [m.functions, m.globals, m.aliases, m.ifuncs] as GlobalValue[][]) for (const g of list) if (g.name) have.add(g.name);
  for (const g of refs) {
    if (!g.name || have.has(g.name)) continue;
    have.add(g.name);
    if (g.linkage === "private" || g.linkage === "internal") {
      // Defined on the other side and needed here: visible to the link only.
      g.linkage = "";
      g.visibility = "hidden";
    }
    const weak = g.linkage === "extern_weak";
    if (g instanceof Function || (g instanceof GlobalAlias && g.valueType instanceof FunctionType)) {
      const ft = g instanceof Function ? g.fnType : (g.valueType as FunctionType);
      const d = new Function(g.name);
      d.fnType = ft;
      d.args = ft.params.map((t, k) => new Argument(t, null, k));
      d.linkage = weak ? "extern_weak" : "";
      if (g instanceof Function) d.cconv = g.cconv;
      m.functions.push(d);
    } else {
      const src = g as GlobalVariable | GlobalAlias;
      const d = new GlobalVariable(g.name);
      d.valueType = src.valueType;
      d.initializer = null;
      d.linkage = weak ? "extern_weak" : "external";
      d.threadLocal = g.threadLocal;
      d.addrspace = g.addrspace;
      if (src instanceof GlobalVariable) d.isConstantGlobal = src.isConstantGlobal;
      m.globals.push(d);
    }
  }
}

