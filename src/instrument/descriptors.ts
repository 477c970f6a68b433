// The constants that tell the runtime about a translation unit's functions
// (docs/retrofit-abi.md §2-3): one function descriptor per instrumented
// function (name, original, clone, trampoline), a pointer to it in section
// `ykts_fns` (kept alive through @llvm.used), and one site descriptor per
// control-point site.
import {
  ConstantAggregate, ConstantString, addGlobal, arrayType, constInt, i8, i32, ptr, structType,
} from "../ykir/index.js";
import type { Constant, Function, GlobalVariable, Module } from "../ykir/index.js";
import { bufferType, sizeOf } from "./layout-consts.js";
import type { ResumePoint } from "./resume-points.js";

export const FN_DESC_TYPE = structType([ptr, ptr, ptr, ptr]);
export const SITE_DESC_TYPE = structType([ptr, i32, i32]);

/** Creates the descriptor of `f` (filled in later by `fillDescriptor`) and its section entry. */
export function createDescriptor(m: Module, f: Function, used: Constant[]): GlobalVariable {
  const nameBytes = `${f.name}\0`;
  const nameTy = arrayType(nameBytes.length, i8);
  const nameG = addGlobal(m, `${f.name}.ykts.n`, nameTy, new ConstantString(nameTy, nameBytes), { linkage: "private", constant: true });
  nameG.unnamedAddr = "unnamed_addr";
  const d = addGlobal(m, `${f.name}.ykts.d`, FN_DESC_TYPE, null, { linkage: "private", constant: true, align: 8 });
  d.initializer = new ConstantAggregate(FN_DESC_TYPE, [nameG, f, f, f]);
  d.linkage = "private";
  const entry = addGlobal(m, `${f.name}.ykts.dp`, ptr, d, { linkage: "private", constant: true, align: 8 });
  entry.section = "ykts_fns";
  used.push(entry);
  return d;
}

export function fillDescriptor(d: GlobalVariable, clone: Function, trampoline: Function): void {
  const init = d.initializer as ConstantAggregate;
  d.initializer = new ConstantAggregate(FN_DESC_TYPE, [init.elems[0]!, init.elems[1]!, clone, trampoline]);
}

export function createSiteDescs(m: Module, f: Function, desc: GlobalVariable, sites: ResumePoint[]): GlobalVariable[] {
  return sites.map((s, k) =>
    addGlobal(m, `${f.name}.ykts.s${k}`, SITE_DESC_TYPE,
      new ConstantAggregate(SITE_DESC_TYPE, [desc, constInt(i32, k), sizeOf(bufferType(s.live), i32)]),
      { linkage: "private", constant: true, align: 8 }));
}

/** Adds globals to @llvm.used (creating it or extending it). */
export function addToUsed(m: Module, extra: Constant[]): void {
  if (extra.length === 0) return;
  const old = m.getGlobal("llvm.used");
  const prev = old?.initializer instanceof ConstantAggregate ? old.initializer.elems : [];
  const elems = [...prev, ...extra];
  const ty = arrayType(elems.length, ptr);
  const g = old ?? addGlobal(m, "llvm.used", ty, null);
  g.valueType = ty;
  g.initializer = new ConstantAggregate(ty, elems);
  g.linkage = "appending";
  g.section = "llvm.metadata";
}

