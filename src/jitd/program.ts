// What jitd knows about the interpreter it serves: the ykir of every
// instrumented translation unit, read once from the executable's `.ykts_ir`
// section, and the control-flow views the recording validator uses.
//
// Loading is lazy where it can be: the load decodes each unit's module
// shell (globals, declarations, every function's signature) and the names in
// its side table; a function's body, its side-table entry and its CFG view
// are decoded when a recording first needs them (a trace touches a few of
// minilua's 477 functions). The cross-check of a function's side table
// against its ykir runs when its body is decoded, before anything built
// from it is trusted.
import type { Module, Function as YFunction } from "../ykir/index.js";
import { loadModule, YKIR_FORMAT_VERSION } from "../ykir/serialise.js";
import { decodePayload } from "../instrument/side-table.js";
import type { SideFunction, SideTable } from "../instrument/side-table.js";
import { cfgView } from "./cfg-view.js";
import { readSection } from "./elf.js";
import type { CfgFunction } from "./validate-recording.js";
import { decodeFrames } from "./ykir-frames.js";

/** The validator's views, built per function on first use. */
export interface CfgViews {
  get(name: string): CfgFunction | undefined;
  /** Number of functions with ykir. */
  readonly size: number;
}

export interface Program {
  exe: string;
  frameCount: number;
  /** Deserialised modules (bodies decoded on first use), or null when they could not be loaded (see `note`). */
  modules: Module[] | null;
  views: CfgViews | null;
  /** Side tables of the units, in frame order (empty functions for units built with YKTS_INSTRUMENT=off). */
  sides: SideTableLike[];
  /** Where a function's ykir lives, for YKTS_LOG_IR. */
  owner: Map<string, Module>;
  note: string;
  /** Side-table disagreements found so far (the load's, then each function's as its body is decoded). */
  disagreements: string[];
  loadMs: number;
}

/** A unit's side table (src/instrument/side-table.ts). */
export type SideTableLike = SideTable;

export interface LoadOptions {
  /** Where a disagreement found after the load goes (default: stderr when YKTS_LOG is on). */
  report?: (line: string) => void;
}

function defaultReport(line: string): void {
  if (process.env.YKTS_LOG && process.env.YKTS_LOG !== "0") process.stderr.write(`ykts jitd: ${line}\n`);
}

export async function loadProgram(exe: string, opts: LoadOptions = {}): Promise<Program> {
  const t0 = performance.now();
  const p: Program = { exe, frameCount: 0, modules: null, views: null, sides: [], owner: new Map(), note: "", disagreements: [], loadMs: 0 };
  const report = opts.report ?? defaultReport;
  try {
    const section = readSection(exe, ".ykts_ir");
    if (!section) {
      p.note = `${exe} has no .ykts_ir section (not built with ykts cc, or its ykir was not attached)`;
      return p;
    }
    const frames = decodeFrames(section);
    p.frameCount = frames.length;
    const fns = new Map<string, YFunction>();
    const sideOf = new Map<string, SideFunction>();
    const cache = new Map<string, CfgFunction>();
    let loading = true;
    /** The view of f (its body just decoded), checked against its side table. */
    const check = (f: YFunction): CfgFunction => {
      let v = cache.get(f.name!);
      if (v) return v;
      v = cfgView(f, (n) => fns.get(n));
      cache.set(f.name!, v);
      const s = sideOf.get(f.name!);
      const disagree = s ? crossCheckFunction(s, v) : [];
      if (disagree.length) {
        p.disagreements.push(...disagree);
        if (!loading) report(`${exe}: side table disagrees with the ykir: ${disagree.join("; ")}`);
      }
      return v;
    };
    const modules = frames.map((f, i) => {
      if (f.version !== YKIR_FORMAT_VERSION)
        throw new Error(`frame ${i} (offset ${f.offset}) has ykir format version ${f.version}, this jitd reads ${YKIR_FORMAT_VERSION} (rebuild the program)`);
      try {
        const { ykir, side } = decodePayload(f.payload, { lazy: true });
        p.sides.push(side);
        return loadModule(ykir, { lazy: true, onBody: (fn) => { if (fn.name && fns.get(fn.name) === fn) check(fn); } });
      } catch (e) {
        throw new Error(`frame ${i} (offset ${f.offset}): ${e instanceof Error ? e.message : String(e)}`);
      }
    });
    p.modules = modules;
    for (const m of modules)
      for (const f of m.functions)
        if (!f.isDeclaration && f.name) { p.owner.set(f.name, m); fns.set(f.name, f); }
    for (const s of p.sides) for (const f of s.functions) sideOf.set(f.name, f);
    for (const s of p.sides)
      for (const f of s.functions) if (!fns.has(f.name)) p.disagreements.push(`${f.name}: no such function in the ykir`);
    // Bodies the loader decoded with the module shell (a blockaddress in a
    // global keeps a function whole) are checked now.
    for (const f of fns.values()) if (!Object.getOwnPropertyDescriptor(f, "blocks")?.get) check(f);
    loading = false;
    p.views = {
      get(name: string): CfgFunction | undefined {
        const v = cache.get(name);
        if (v) return v;
        const f = fns.get(name);
        if (!f) return undefined;
        try {
          return f.blocks && check(f); // reading blocks decodes the body (and checks it)
        } catch (e) {
          // Corrupt bytes past the load's checks: this function has no usable ykir.
          report(`${exe}: cannot decode the ykir of ${name}: ${e instanceof Error ? e.message : String(e)}`);
          return undefined;
        }
      },
      get size() { return fns.size; },
    };
    p.note = `${frames.length} module(s), ${fns.size} function(s)`;
    if (p.disagreements.length) p.note += `; side table disagrees with the ykir: ${p.disagreements.slice(0, 3).join("; ")}`;
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
 *  cannot be trusted, so it is reported (with the load note, or when the
 *  function's body is decoded). */
export function crossCheck(views: Map<string, CfgFunction>, sides: SideTableLike[]): string[] {
  const out: string[] = [];
  for (const side of sides) {
    for (const f of side.functions) {
      const v = views.get(f.name);
      if (!v) { out.push(`${f.name}: no such function in the ykir`); continue; }
      out.push(...crossCheckFunction(f, v));
    }
  }
  return out;
}

/** The disagreements of one function's side-table entry with its view. */
export function crossCheckFunction(f: SideFunction, v: CfgFunction): string[] {
  const out: string[] = [];
  if (f.blocks !== undefined && f.blocks !== v.blocks.length) out.push(`${f.name}: ${f.blocks} blocks, ykir has ${v.blocks.length}`);
  const cps = (f.resume ?? []).filter((r) => r.kind === "cp");
  if (cps.length !== v.cpSites.length) { out.push(`${f.name}: ${cps.length} control-point sites, ykir has ${v.cpSites.length}`); return out; }
  cps.forEach((r, k) => {
    const s = v.cpSites[k]!;
    if (r.id !== k + 1 || r.at[0] !== s.block || r.at[1] !== s.instr)
      out.push(`${f.name}: site ${k} is resume point ${r.id} at ${r.at.join(":")}, ykir has it at ${s.block}:${s.instr}`);
  });
  return out;
}
