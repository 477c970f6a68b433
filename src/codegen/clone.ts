// LLVM backend: copying an instruction of the trace (rootReload, peel).
import { Instruction } from "../ykir/index.js";
import type { Value } from "../ykir/index.js";

/** A copy of `i` (no block) with operands mapped through `map`. */
export function cloneInst(i: Instruction, map: (v: Value) => Value): Instruction {
  const c = new Instruction(i.opcode, i.type, i.operands.map(map), null);
  for (const [k, v] of Object.entries(i)) {
    if (k === "parent" || k === "operands" || k === "name" || k === "opcode" || k === "type" || k === "vkind") continue;
    (c as unknown as Record<string, unknown>)[k] = Array.isArray(v) ? [...v] : v;
  }
  if (i.bundles) c.bundles = i.bundles.map((b) => ({ tag: b.tag, values: b.values.map(map) }));
  return c;
}

