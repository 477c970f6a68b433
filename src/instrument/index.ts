// The instrumentation step of `ykts cc` (docs/retrofit-abi.md): from one
// translation unit's ykir, the instrumented module that clang compiles, and
// the payload that goes into the object's `.ykts_ir` section (the unit's
// uninstrumented ykir plus its side table).
//
// Order matters: internal symbols are renamed first (the JIT sees the new
// names), the ykir is serialised before anything changes, every function is
// analysed on its unchanged body, clones are built from unchanged bodies, and
// only then are the originals' control points rewritten.
import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { serialiseModule } from "../ykir/index.js";
import type { BasicBlock, Constant, Function, GlobalVariable, Module } from "../ykir/index.js";
import { renameInternals } from "./rename-internals.js";
import { analyseFunction } from "./resume-points.js";
import type { FunctionAnalysis } from "./resume-points.js";
import { describeFunction, encodePayload } from "./side-table.js";
import { addressTakenBlocks, exportBlockTable } from "./block-addresses.js";
import type { SideTable } from "./side-table.js";
import { RuntimeDecls, hasTracedClone } from "./runtime-abi.js";
import { addToUsed, createDescriptor, createSiteDescs, fillDescriptor } from "./descriptors.js";
import { buildClone, buildTrampoline, declareClone } from "./traced-clone.js";
import type { CloneContext } from "./traced-clone.js";
import { rewriteOriginal } from "./control-point.js";
import { splitClones } from "./split-clones.js";
import { functionAnnotations, IDEMPOTENT } from "./annotations.js";
import { allowInlining, erasePromotes } from "./promote-originals.js";

export interface InstrumentOptions {
  /** The C source file (names the unit in errors and in the unit hash). */
  file: string;
}

export interface InstrumentResult {
  /** The originals (control points rewritten) and the unit's descriptors. */
  instrumented: Module;
  /** The traced clones and their trampolines, to be compiled without optimisation (split-clones.ts). */
  clones: Module;
  /** Payload of the unit's `.ykts_ir` frame. */
  ykirBytes: Uint8Array;
  side: SideTable;
}

export class InstrumentError extends Error {}

export function instrumentModule(m: Module, opts: InstrumentOptions): InstrumentResult {
  const unit = createHash("sha1").update(resolve(opts.file)).digest("hex").slice(0, 10);
  renameInternals(m, unit);
  const ykir = serialiseModule(m);

  const annotations = functionAnnotations(m);
  const idempotent = new Set([...annotations].filter(([, a]) => a.has(IDEMPOTENT)).map(([n]) => n));
  const fns = m.functions.filter(hasTracedClone);
  const analyses: FunctionAnalysis[] = [];
  for (const f of fns) {
    try {
      analyses.push(analyseFunction(f, { idempotent }));
    } catch (e) {
      throw new InstrumentError(`${opts.file}: function '${f.name}': ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  checkControlPointsInLoops(opts.file, analyses);
  const side: SideTable = { version: 1, source: opts.file, unit, functions: analyses.map(describeFunction) };
  // Address-taken blocks (computed goto): exported tables for traces.
  const blockTables = new Map<Function, { table: GlobalVariable; blocks: BasicBlock[] }>();
  analyses.forEach((a, k) => {
    const blocks = addressTakenBlocks(m, a.fn);
    if (blocks.length === 0) return;
    blockTables.set(a.fn, { table: exportBlockTable(m, a.fn, blocks), blocks });
    side.functions[k]!.blockAddrs = blocks.map((b) => a.fn.blocks.indexOf(b));
  });

  const rt = new RuntimeDecls(m);
  const used: Constant[] = [];
  const ctx: CloneContext = { m, rt, clones: new Map(), descs: new Map(), groupCache: new Map(), weakClones: new Map(), cloneTables: new Set(), blockTables };
  for (const a of analyses) {
    ctx.descs.set(a.fn, createDescriptor(m, a.fn, used));
    declareClone(ctx, a.fn);
  }
  const siteDescs = analyses.map((a) => createSiteDescs(m, a.fn, ctx.descs.get(a.fn)!, a.sites));
  const cloneSide = new Set<Function>();
  for (const a of analyses) {
    try {
      buildClone(ctx, a);
      const t = buildTrampoline(ctx, a.fn);
      fillDescriptor(ctx.descs.get(a.fn)!, ctx.clones.get(a.fn)!, t);
      cloneSide.add(ctx.clones.get(a.fn)!).add(t);
    } catch (e) {
      throw new InstrumentError(`${opts.file}: function '${a.fn.name}': cannot build its traced clone: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  analyses.forEach((a, k) => {
    try {
      rewriteOriginal(m, rt, a, siteDescs[k]!);
    } catch (e) {
      throw new InstrumentError(`${opts.file}: function '${a.fn.name}': cannot rewrite its control point: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  // Originals never record: promotes become their argument, idempotent
  // functions may be inlined (promote-originals.ts).
  const groups = new Map();
  for (const f of m.functions) {
    if (cloneSide.has(f) || f.isDeclaration) continue;
    erasePromotes(f);
    if (f.name !== null && idempotent.has(f.name)) allowInlining(m, f, groups);
  }
  addToUsed(m, used);
  const tables = new Set(m.globals.filter((g) => ctx.cloneTables.has(g)));
  const clones = splitClones(m, cloneSide, tables);
  return { instrumented: m, clones, ykirBytes: encodePayload(ykir, side), side };
}

/**
 * A function whose control points are all outside loops can never make a
 * location hot: that is a mistake worth an error. A single site outside a
 * loop is fine when others are inside one (computed-goto interpreters
 * dispatch once before entering their threaded loop).
 */
function checkControlPointsInLoops(file: string, analyses: FunctionAnalysis[]): void {
  for (const a of analyses) {
    if (a.sites.length === 0) continue;
    if (!a.sites.some((s) => inLoop(s.inst.parent!)))
      throw new InstrumentError(`${file}: function '${a.fn.name}': its control point${a.sites.length > 1 ? "s are" : " is"} not inside a loop (put yk_mt_control_point at the top of the dispatch loop)`);
  }
}

/** Can `start` be reached again from its own successors? */
function inLoop(start: BasicBlock): boolean {
  const seen = new Set<BasicBlock>();
  const work = [...(start.terminator?.successors ?? [])];
  while (work.length) {
    const b = work.pop()!;
    if (b === start) return true;
    if (seen.has(b)) continue;
    seen.add(b);
    work.push(...(b.terminator?.successors ?? []));
  }
  return false;
}
