// Builds the validator's view of the program (validate-recording.ts) from the
// ykir modules of all translation units: per defined function, its blocks'
// successors, whether they return, the calls that produce records (direct
// calls to functions with a traced clone, hasTracedClone, and indirect
// calls), and the
// control-point sites (calls to __ykts_control_point, numbered in block
// order, instruction order, as the instrumenter numbers them). jitd builds
// each function's view when a recording first names it (program.ts).
import type { Module, Function as YFunction, Instruction } from "../ykir/index.js";
import type { CfgBlock, CfgFunction } from "./validate-recording.js";
import { hasTracedClone } from "../instrument/runtime-abi.js";

const CONTROL_POINT = "__ykts_control_point";

function calleeName(inst: Instruction): string | null | undefined {
  const c = inst.callee as { vkind?: string; name?: string | null };
  if (c.vkind === "function") return c.name ?? undefined;
  if (c.vkind === "asm") return undefined; // inline asm records nothing
  return null; // indirect
}

/** The view of one defined function; `lookup` finds a callee's definition (a call records blocks if it has a traced clone). */
export function cfgView(f: YFunction, lookup: (name: string) => YFunction | undefined): CfgFunction {
  const records = (name: string) => { const g = lookup(name); return g !== undefined && hasTracedClone(g); };
  const index = new Map(f.blocks.map((b, i) => [b, i] as const));
  const cpSites: { block: number; instr: number }[] = [];
  const blocks: CfgBlock[] = f.blocks.map((b, bi) => {
    const calls: CfgBlock["calls"] = [];
    b.instructions.forEach((inst, ii) => {
      if (inst.opcode !== "call" && inst.opcode !== "invoke" && inst.opcode !== "callbr") return;
      const callee = calleeName(inst);
      if (callee === CONTROL_POINT) cpSites.push({ block: bi, instr: ii });
      else if (callee === null) calls.push({ instr: ii, callee: null });
      else if (callee !== undefined && records(callee)) calls.push({ instr: ii, callee });
    });
    const term = b.terminator;
    return {
      succs: term ? term.successors.map((s) => index.get(s)!).filter((x) => x !== undefined) : [],
      returns: term?.opcode === "ret",
      calls,
    };
  });
  return { name: f.name!, blocks, cpSites };
}

export function buildCfgViews(modules: Module[]): Map<string, CfgFunction> {
  const defined = new Map<string, YFunction>();
  for (const m of modules) for (const f of m.functions) if (!f.isDeclaration && f.name) defined.set(f.name, f);
  const views = new Map<string, CfgFunction>();
  for (const [name, f] of defined) views.set(name, cfgView(f, (n) => defined.get(n)));
  return views;
}
