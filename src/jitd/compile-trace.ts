// From a validated recording to a trace object on disk: trace builder →
// trace IR (verified) → passes → deopt sources → C (tcc, the fast tier)
// and/or an LLVM module (clang) → shared object (docs/traces.md). What
// cannot be compiled comes back as a reason, never as an exception: the
// runtime then simply keeps interpreting.
//
// Tiers (YKTS_TIER, docs/traces.md §7): `llvm` (the default) compiles with
// clang only; `tcc` with tcc only (falling back to clang for a trace the C
// backend declines); `auto` answers with the tcc object and hands back an
// `upgrade` that compiles the same trace with clang, which jitd runs when
// it has nothing more urgent to do.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import type { ChildProcess } from "node:child_process";
import { runTool } from "./run-tool.js";
import { buildTraceObject, clangArgs, type TraceToolchain } from "./trace-object.js";
import type { Program } from "./program.js";
import type { SideFunction } from "../instrument/side-table.js";
import { functionAnnotations } from "../instrument/annotations.js";
import type { Function } from "../ykir/index.js";
import { buildTrace, TraceAbort, type ProgramView } from "../trace-interp/build.js";
import { dropUpgradeCheck, printTrace } from "../trace-ir/trace.js";
import type { SideStart } from "../trace-ir/trace.js";
import { GuardStore } from "./guard-store.js";
import { verifyTrace } from "../trace-ir/verify.js";
import { emitLLVM, CodegenError } from "../codegen/llvm.js";
import { assignDeoptSources } from "../codegen/deopt-sources.js";
import { PASSES } from "../opt/index.js";

export type Tier = "llvm" | "tcc" | "auto";

export function parseTier(v: string | undefined): Tier {
  if (v === undefined || v === "") return "llvm";
  if (v === "llvm" || v === "tcc" || v === "auto") return v;
  throw new Error(`YKTS_TIER=${v}: expected llvm, tcc or auto`);
}

export type CompileResult =
  | {
      ok: true; so: string; symbol: string; ms: { build: number; codegen: number; clang: number }; guards: number; insts: number;
      /** Which compiler made the object; for tcc, why clang was not used, or for clang, why tcc was not. */
      tier: "tcc" | "llvm"; note?: string;
      /** Tier auto: compiles the same trace with clang (the runtime replaces the tcc object by it). */
      upgrade?: () => Promise<UpgradeResult>;
    }
  | { ok: false; reason: string };

export type UpgradeResult = { ok: true; so: string; symbol: string; ms: number } | { ok: false; reason: string };

export interface CompileOptions {
  tier: Tier;
  /** The fast tier's compiler (tcc). */
  tcc: string;
  /** YKTS_LOG_IR stages to print on stderr: trace, llvm, asm. */
  logIR: Set<string>;
  /** clang, its flags and the linker for the LLVM tier (trace-object.ts). */
  toolchain: TraceToolchain;
  /** Optimisation passes switched off by name (YKTS_OPT=-name,...). */
  disabled: Set<string>;
}

let workDir: string | null = null;
const running = new Set<ChildProcess>();
let cancelled = false;

/** The interpreter has gone: stop the compiles in flight (nobody will load them). */
export function cancelCompiles(): void {
  cancelled = true;
  // clang (its cc1 runs in the driver's process) and ld.lld stay in jitd's
  // process group, which the runtime kills as a whole when the program
  // exits without waiting for jitd (docs/runtime.md).
  for (const p of running) p.kill("SIGKILL");
}
function dir(): string {
  if (!workDir) {
    workDir = mkdtempSync(`${tmpdir()}/ykts-jitd-`);
    const d = workDir;
    if (!process.env.YKTS_KEEP_TRACES) process.on("exit", () => rmSync(d, { recursive: true, force: true }));
  }
  return workDir;
}

export function programView(p: Program): ProgramView {
  const sides = new Map<string, SideFunction>();
  for (const s of p.sides) for (const f of s.functions) sides.set(f.name, f);
  // Annotations as any unit knows them (a prototype carries them too).
  const annotations = new Map<string, Set<string>>();
  for (const m of p.modules ?? [])
    for (const [n, a] of functionAnnotations(m)) {
      const set = annotations.get(n) ?? new Set<string>();
      for (const x of a) set.add(x);
      annotations.set(n, set);
    }
  const first = p.modules?.[0];
  return {
    fn: (name: string): Function | undefined => {
      const f = p.owner.get(name)?.getFunction(name);
      return f && !f.isDeclaration ? f : undefined;
    },
    side: (name: string) => sides.get(name),
    annotations: (name: string) => annotations.get(name),
    datalayout: first?.datalayout,
    triple: first?.triple,
  };
}

/** The C backend, loaded when the first trace needs it (tier llvm never does). */
let cModule: Promise<typeof import("../codegen/c.js")> | null = null;
const cBackend = () => (cModule ??= import("../codegen/c.js"));

/** The guards of every trace compiled so far, by symbol: where side traces start. */
const compiledGuards = new GuardStore();

export async function compileTrace(
  view: ProgramView,
  rec: {
    id: number; startFn: string; startSite: number; blocks: { fn: string; block: number }[]; promotes?: { kind: string; bits: bigint }[];
    /** A side recording: the parent trace's symbol and the guard it starts from. */
    parent?: { symbol: string; guard: number; endsAtRoot: boolean };
    /** A root recording that stopped at another location's trace (docs/traces.md §6). */
    exitsToLoc?: boolean;
  },
  o: CompileOptions,
): Promise<CompileResult> {
  const symbol = `__ykts_trace_${process.pid}_${rec.id}`;
  const t0 = performance.now();
  let text: string | null = null;
  let llvmText: () => string = () => { throw new Error("no trace"); };
  let cText: string | null = null;
  let cNote: string | undefined;
  let guards = 0, insts = 0;
  let t1: number;
  let side: SideStart | undefined;
  if (rec.parent) {
    const frames = compiledGuards.frames(rec.parent.symbol, rec.parent.guard);
    if (!frames) return { ok: false, reason: `side trace: no guard ${rec.parent.guard} in a trace ${rec.parent.symbol} compiled by this jitd` };
    side = { parent: rec.parent.symbol, guard: rec.parent.guard, frames, endsAtRoot: rec.parent.endsAtRoot };
  }
  try {
    const trace = buildTrace(view, { name: symbol, startFn: rec.startFn, startSite: rec.startSite, blocks: rec.blocks, promotes: rec.promotes, side, exitsToLoc: rec.exitsToLoc },
      { upgradeCheck: o.tier === "auto", inlineLoops: process.env.YKTS_INLINE_LOOPS === "1" });
    let problems = verifyTrace(trace);
    if (problems.length) return { ok: false, reason: `trace IR does not verify after building: ${problems.slice(0, 3).join("; ")}` };
    // The verifier runs after the builder and once the trace is ready for
    // codegen; after every pass as well with YKTS_VERIFY=each (then a
    // failure names the pass). Per pass it was an eighth of jitd's CPU time
    // on richards' 79 traces.
    const each = verifyEach();
    let last = "the passes";
    for (const pass of PASSES) {
      if (o.disabled.has(pass.name)) continue;
      pass.run(trace);
      if (!each) continue;
      problems = verifyTrace(trace);
      if (problems.length) return { ok: false, reason: `trace IR does not verify after ${pass.name}: ${problems.slice(0, 3).join("; ")}` };
    }
    assignDeoptSources(trace, { derived: process.env.YKTS_DEOPT_DERIVED !== "off" });
    last = each ? "choosing deopt sources" : "the passes and choosing deopt sources";
    if (each) {
      problems = verifyTrace(trace);
      if (problems.length) return { ok: false, reason: `trace IR does not verify after ${last}: ${problems.slice(0, 3).join("; ")}` };
    }
    // Values that now come from the live struct, a constant or another
    // slot have left the bundles: what only they used is dead (most of the
    // entry's loads of the live struct). clang would drop it; tcc would not.
    const dce = PASSES.find((p) => p.name === "dce");
    if (dce && !o.disabled.has(dce.name)) {
      dce.run(trace);
      last = each ? "dce (after deopt sources)" : `${last} and dce`;
    }
    problems = verifyTrace(trace);
    if (problems.length) return { ok: false, reason: `trace IR does not verify after ${last}: ${problems.slice(0, 3).join("; ")}` };
    // Compile time grows with guards times the values they carry.
    const carried = trace.fn.blocks[1]!.instructions.reduce((n, i) => n + (i.bundles?.[0]?.values.length ?? 0), 0);
    const maxCarried = Number(process.env.YKTS_MAX_DEOPT_VALUES ?? 40000);
    if (carried > maxCarried)
      return { ok: false, reason: `trace too big to compile: its ${trace.guards.length} guards carry ${carried} values (YKTS_MAX_DEOPT_VALUES=${maxCarried})` };
    guards = trace.guards.length;
    insts = trace.fn.blocks[1]!.instructions.length;
    if (o.logIR.has("trace")) process.stderr.write(`--- trace ${rec.id}: ${rec.startFn}#${rec.startSite} ---\n${printTrace(trace)}`);
    t1 = performance.now();
    compiledGuards.add(symbol, trace.guards);
    if (o.tier !== "llvm") {
      try {
        cText = (await cBackend()).emitC(trace);
        if (o.logIR.has("c")) process.stderr.write(`--- c ${rec.id} ---\n${cText}`);
      } catch (e) {
        if (!(e instanceof CodegenError)) throw e;
        cNote = `C backend declined: ${e.message}`;
      }
    }
    // The LLVM module is made when clang is to compile it: now (tier
    // llvm, or the C backend declined), or for the upgrade, after the tcc
    // object has gone to the runtime. emitLLVM rewrites the trace in place,
    // which is why it comes after emitC.
    llvmText = () => {
      if (text === null) {
        // The LLVM object of an upgrade has symbols of its own (the tcc one stays loaded).
        if (cText !== null) { trace.name = `${symbol}_l`; trace.fn.name = trace.name; }
        dropUpgradeCheck(trace);
        text = emitLLVM(trace);
        if (o.logIR.has("llvm")) process.stderr.write(`--- llvm ${rec.id} ---\n${text}`);
      }
      return text;
    };
    if (cText === null || o.logIR.has("llvm") || o.logIR.has("asm")) llvmText();
  } catch (e) {
    if (e instanceof TraceAbort) return { ok: false, reason: `trace aborted: ${e.reason}` };
    if (e instanceof CodegenError) return { ok: false, reason: `codegen: ${e.message}` };
    return { ok: false, reason: `internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}` };
  }
  const t2 = performance.now();
  const base = `${dir()}/trace-${rec.id}`;
  const llvmSymbol = cText !== null ? `${symbol}_l` : symbol;
  const viaClang = async (): Promise<{ ok: true; so: string } | { ok: false; reason: string }> => {
    const b = cText !== null ? `${base}-l` : base;
    try {
      writeFileSync(`${b}.ll`, llvmText());
    } catch (e) {
      if (e instanceof CodegenError) return { ok: false, reason: `codegen: ${e.message}` };
      return { ok: false, reason: `internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}` };
    }
    // A tool is not started once the program has gone (cancelCompiles).
    const r = await buildTraceObject(o.toolchain, b, (cmd, args) => cancelled ? Promise.resolve({ exitCode: 1, all: "" }) : run(cmd, args));
    if (cancelled) return { ok: false, reason: "compile cancelled: the program has exited" };
    if (!r.ok) return r;
    if (o.logIR.has("asm")) {
      const a = await runTool(o.toolchain.clang, [...clangArgs(o.toolchain, `${b}.ll`), "-S", "-o", "-"]);
      process.stderr.write(`--- asm ${rec.id} ---\n${a.stdout}\n`);
    }
    return { ok: true, so: `${b}.so` };
  };
  const ms = () => ({ build: t1 - t0, codegen: t2 - t1, clang: performance.now() - t2 });
  if (cText !== null) {
    writeFileSync(`${base}.c`, cText);
    const r = await run(o.tcc, ["-shared", "-w", `${base}.c`, "-o", `${base}.so`]);
    if (cancelled) return { ok: false, reason: "compile cancelled: the program has exited" };
    if (r.exitCode === 0) {
      const upgrade = o.tier === "auto" ? async (): Promise<UpgradeResult> => {
        const u0 = performance.now();
        const c = await viaClang();
        return c.ok ? { ok: true, so: c.so, symbol: llvmSymbol, ms: performance.now() - u0 } : c;
      } : undefined;
      return { ok: true, so: `${base}.so`, symbol, ms: ms(), guards, insts, tier: "tcc", upgrade };
    }
    // tcc failing on what the C backend wrote is a bug of the backend: say
    // so, and give the trace to clang instead.
    cNote = `tcc failed on ${base}.c: ${(r.all ?? "").split("\n").slice(0, 4).join(" | ")}`;
  }
  const c = await viaClang();
  if (!c.ok) return c;
  return { ok: true, so: c.so, symbol: llvmSymbol, ms: ms(), guards, insts, tier: "llvm", note: cNote };
}

async function run(cmd: string, args: string[]): Promise<{ exitCode: number | null; all: string }> {
  let child: ChildProcess | null = null;
  try {
    return await runTool(cmd, args, (p) => { child = p; running.add(p); });
  } finally {
    if (child) running.delete(child);
  }
}

/** YKTS_VERIFY=each: verify the trace IR after every pass, not only after building and before codegen. */
function verifyEach(): boolean {
  return process.env.YKTS_VERIFY === "each";
}
