// What jitd knows about the interpreter it serves: the ykir of every
// instrumented translation unit, read once from the executable's `.ykts_ir`
// section, and the control-flow views the recording validator uses.
import type { Module } from "../ykir/index.js";
import { loadModule, YKIR_FORMAT_VERSION } from "../ykir/serialise.js";
import { decodePayload } from "../instrument/side-table.js";
import type { SideTable } from "../instrument/side-table.js";
import { buildCfgViews } from "./cfg-view.js";
import { readSection } from "./elf.js";
import type { CfgFunction } from "./validate-recording.js";
import { decodeFrames } from "./ykir-frames.js";

export interface Program {
  exe: string;
  frameCount: number;
  /** Deserialised modules, or null when they could not be loaded (see `note`). */
  modules: Module[] | null;
  views: Map<string, CfgFunction> | null;
  /** Side tables of the units, in frame order (empty functions for units built with YKTS_INSTRUMENT=off). */
  sides: SideTableLike[];
  /** Where a function's ykir lives, for YKTS_LOG_IR. */
  owner: Map<string, Module>;
  note: string;
  loadMs: number;
}

/** A unit's side table (src/instrument/side-table.ts). */
export type SideTableLike = SideTable;

export async function loadProgram(exe: string): Promise<Program> {
  const t0 = performance.now();
  const p: Program = { exe, frameCount: 0, modules: null, views: null, sides: [], owner: new Map(), note: "", loadMs: 0 };
  try {
    const section = readSection(exe, ".ykts_ir");
    if (!section) {
      p.note = `${exe} has no .ykts_ir section (not built with ykts cc, or its ykir was not attached)`;
      return p;
    }
    const frames = decodeFrames(section);
    p.frameCount = frames.length;
    const modules = frames.map((f, i) => {
      if (f.version !== YKIR_FORMAT_VERSION)
        throw new Error(`frame ${i} (offset ${f.offset}) has ykir format version ${f.version}, this jitd reads ${YKIR_FORMAT_VERSION} (rebuild the program)`);
      try {
        const { ykir, side } = decodePayload(f.payload);
        p.sides.push(side);
        return loadModule(ykir);
      } catch (e) {
        throw new Error(`frame ${i} (offset ${f.offset}): ${e instanceof Error ? e.message : String(e)}`);
      }
    });
    p.modules = modules;
    for (const m of modules) for (const f of m.functions) if (!f.isDeclaration && f.name) p.owner.set(f.name, m);
    p.views = buildCfgViews(modules);
    p.note = `${frames.length} module(s), ${p.views.size} function(s)`;
    const disagree = crossCheck(p.views, p.sides);
    if (disagree.length) p.note += `; side table disagrees with the ykir: ${disagree.slice(0, 3).join("; ")}`;
  } catch (e) {
    p.note = `cannot load ykir from ${exe}: ${e instanceof Error ? e.message : String(e)}`;
  } finally {
    p.loadMs = performance.now() - t0;
  }
  return p;
}

/** The instrumenter's side table and jitd's own reading of the ykir must
 *  agree on each function's block count and control-point sites (`cp k` is
 *  resume point k + 1 at the site's call): a disagreement means recordings
 *  cannot be trusted, so it is reported with the load note. */
export function crossCheck(views: Map<string, CfgFunction>, sides: SideTableLike[]): string[] {
  const out: string[] = [];
  for (const side of sides) {
    for (const f of side.functions) {
      const v = views.get(f.name);
      if (!v) { out.push(`${f.name}: no such function in the ykir`); continue; }
      if (f.blocks !== undefined && f.blocks !== v.blocks.length) out.push(`${f.name}: ${f.blocks} blocks, ykir has ${v.blocks.length}`);
      const cps = (f.resume ?? []).filter((r) => r.kind === "cp");
      if (cps.length !== v.cpSites.length) { out.push(`${f.name}: ${cps.length} control-point sites, ykir has ${v.cpSites.length}`); continue; }
      cps.forEach((r, k) => {
        const s = v.cpSites[k]!;
        if (r.id !== k + 1 || r.at[0] !== s.block || r.at[1] !== s.instr)
          out.push(`${f.name}: site ${k} is resume point ${r.id} at ${r.at.join(":")}, ykir has it at ${s.block}:${s.instr}`);
      });
    }
  }
  return out;
}
