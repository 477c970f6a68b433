// Gives every internal or private symbol of a translation unit a
// program-unique external name (`name.ykts.<unit hash>`), so that a trace
// compiled later in its own shared object can reach it by name through the
// executable's dynamic symbol table (the executable is linked -rdynamic).
// Run before the unit's ykir is serialised: the JIT sees the new names.
// Linkage becomes external, visibility default; nothing else changes, so
// the ABI of every function stays as it was.
import type { GlobalValue, Module } from "../ykir/index.js";

const LOCAL = new Set(["internal", "private"]);

export function renameInternals(m: Module, unitHash: string): number {
  let n = 0;
  let anon = 0;
  const all: GlobalValue[] = [...m.globals, ...m.functions, ...m.aliases, ...m.ifuncs];
  for (const g of all) {
    if (!LOCAL.has(g.linkage)) {
      if (g.name === null) g.name = `anon.${anon++}.ykts.${unitHash}`;
      continue;
    }
    g.name = `${g.name ?? `anon.${anon++}`}.ykts.${unitHash}`;
    g.linkage = "";
    g.visibility = "";
    // Local symbols may be dso_local implicitly; an exported definition in
    // an executable still is, so say so (it keeps direct references cheap).
    if (!g.preemption) g.preemption = "dso_local";
    n++;
  }
  return n;
}
