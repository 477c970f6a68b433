// What promotion and idempotent functions cost an original function: nothing.
//
// An original never records (only traced clones run while recording), so a
// call `__ykts_promote_<kind>(x)` in it is replaced by x: the runtime call
// was a call per promote on the interpreter's hot path, and, being opaque to
// clang, it kept clang from seeing that the value did not change.
//
// ykts.h marks an idempotent function noinline so that its calls stay calls
// in the ykir the trace builder sees (a trace folds a call with constant
// arguments to its recorded result). The originals are compiled from that
// ykir again: there the function may be inlined as any other, so fetching
// through a small idempotent function costs the interpreter nothing either.
import { AttributeGroup, replaceAllUses } from "../ykir/index.js";
import type { AttrList, Function, Module } from "../ykir/index.js";
import { promoteCallKind } from "./runtime-abi.js";

/** Replaces every promote call of `f` by its argument; returns how many. */
export function erasePromotes(f: Function): number {
  let n = 0;
  for (const b of f.blocks)
    for (const i of [...b.instructions]) {
      if (promoteCallKind(i) === null) continue;
      replaceAllUses(f, i, i.args[0]!);
      b.instructions.splice(b.instructions.indexOf(i), 1);
      n++;
    }
  return n;
}

/** Drops `noinline` from a defined function (unless it is optnone, which requires it). */
export function allowInlining(m: Module, f: Function, groups: Map<AttributeGroup, AttributeGroup>): void {
  if (f.isDeclaration) return;
  const has = (l: AttrList) => l.some((a) => a.kind === "optnone");
  if (has(f.fnAttrs) || f.attrGroups.some((g) => has(g.attrs))) return;
  f.fnAttrs = f.fnAttrs.filter((a) => a.kind !== "noinline");
  f.attrGroups = f.attrGroups.map((g) => {
    if (!g.attrs.some((a) => a.kind === "noinline")) return g;
    let n = groups.get(g);
    if (!n) {
      n = new AttributeGroup(m.newAttrGroupId(), g.attrs.filter((a) => a.kind !== "noinline") as AttrList);
      m.attrGroups.push(n);
      groups.set(g, n);
    }
    return n;
  });
}
