// From a validated recording to a trace object on disk: trace builder →
// trace IR (verified) → LLVM module → clang → shared object
// (docs/traces.md). What cannot be compiled comes back as a reason, never
// as an exception: the runtime then simply keeps interpreting.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { execa } from "execa";
import { LD_LLD } from "../cc/toolchain.js";
import type { Program } from "./program.js";
import type { SideFunction } from "../instrument/side-table.js";
import { functionAnnotations } from "../instrument/annotations.js";
import type { Function } from "../ykir/index.js";
import { buildTrace, TraceAbort, type ProgramView } from "../trace-interp/build.js";
import { printTrace } from "../trace-ir/trace.js";
import type { GuardInfo, SideStart } from "../trace-ir/trace.js";
import { verifyTrace } from "../trace-ir/verify.js";
import { emitLLVM, CodegenError } from "../codegen/llvm.js";
import { assignDeoptSources } from "../codegen/deopt-sources.js";
import { PASSES } from "../opt/index.js";

export type CompileResult =
  | { ok: true; so: string; symbol: string; ms: { build: number; codegen: number; clang: number }; guards: number; insts: number }
  | { ok: false; reason: string };

export interface CompileOptions {
  /** YKTS_LOG_IR stages to print on stderr: trace, llvm, asm. */
  logIR: Set<string>;
  clang: string;
  /** Optimisation passes switched off by name (YKTS_OPT=-name,...). */
  disabled: Set<string>;
}

let workDir: string | null = null;
const running = new Set<{ pid?: number; kill(signal?: NodeJS.Signals): boolean }>();
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

/** The guards of every trace compiled so far, by symbol: where side traces start. */
const compiledGuards = new Map<string, GuardInfo[]>();

export async function compileTrace(
  view: ProgramView,
  rec: {
    id: number; startFn: string; startSite: number; blocks: { fn: string; block: number }[]; promotes?: { kind: string; bits: bigint }[];
    /** A side recording: the parent trace's symbol and the guard it starts from. */
    parent?: { symbol: string; guard: number; endsAtRoot: boolean };
  },
  o: CompileOptions,
): Promise<CompileResult> {
  const symbol = `__ykts_trace_${process.pid}_${rec.id}`;
  const t0 = performance.now();
  let text: string;
  let guards = 0, insts = 0;
  let t1: number;
  let side: SideStart | undefined;
  if (rec.parent) {
    const g = compiledGuards.get(rec.parent.symbol)?.[rec.parent.guard];
    if (!g) return { ok: false, reason: `side trace: no guard ${rec.parent.guard} in a trace ${rec.parent.symbol} compiled by this jitd` };
    side = { parent: rec.parent.symbol, guard: rec.parent.guard, frames: g.frames, endsAtRoot: rec.parent.endsAtRoot };
  }
  try {
    const trace = buildTrace(view, { name: symbol, startFn: rec.startFn, startSite: rec.startSite, blocks: rec.blocks, promotes: rec.promotes, side });
    let problems = verifyTrace(trace);
    if (problems.length) return { ok: false, reason: `trace IR does not verify after building: ${problems.slice(0, 3).join("; ")}` };
    for (const pass of PASSES) {
      if (o.disabled.has(pass.name)) continue;
      pass.run(trace);
      problems = verifyTrace(trace);
      if (problems.length) return { ok: false, reason: `trace IR does not verify after ${pass.name}: ${problems.slice(0, 3).join("; ")}` };
    }
    assignDeoptSources(trace, { derived: process.env.YKTS_DEOPT_DERIVED !== "off" });
    problems = verifyTrace(trace);
    if (problems.length) return { ok: false, reason: `trace IR does not verify after choosing deopt sources: ${problems.slice(0, 3).join("; ")}` };
    // Compile time grows with guards times the values they carry.
    const carried = trace.fn.blocks[1]!.instructions.reduce((n, i) => n + (i.bundles?.[0]?.values.length ?? 0), 0);
    const maxCarried = Number(process.env.YKTS_MAX_DEOPT_VALUES ?? 40000);
    if (carried > maxCarried)
      return { ok: false, reason: `trace too big to compile: its ${trace.guards.length} guards carry ${carried} values (YKTS_MAX_DEOPT_VALUES=${maxCarried})` };
    guards = trace.guards.length;
    insts = trace.fn.blocks[1]!.instructions.length;
    if (o.logIR.has("trace")) process.stderr.write(`--- trace ${rec.id}: ${rec.startFn}#${rec.startSite} ---\n${printTrace(trace)}`);
    t1 = performance.now();
    compiledGuards.set(symbol, trace.guards);
    text = emitLLVM(trace);
    if (o.logIR.has("llvm")) process.stderr.write(`--- llvm ${rec.id} ---\n${text}`);
  } catch (e) {
    if (e instanceof TraceAbort) return { ok: false, reason: `trace aborted: ${e.reason}` };
    if (e instanceof CodegenError) return { ok: false, reason: `codegen: ${e.message}` };
    return { ok: false, reason: `internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}` };
  }
  const t2 = performance.now();
  const base = `${dir()}/trace-${rec.id}`;
  writeFileSync(`${base}.ll`, text);
  // clang -O2 to an object, then ld.lld alone: `clang -shared` ran GNU ld
  // with the C start files and libraries, which a trace does not need (it
  // is dlopen'ed into the interpreter, whose symbols it uses), ~30 ms more
  // per trace (docs/traces.md, "Compile time"). The stackmap section holds
  // the trace's absolute address: a text relocation (-z notext), as before.
  for (const [cmd, args] of [
    [o.clang, ["-O2", "-fPIC", "-c", "-Wno-override-module", "-w", `${base}.ll`, "-o", `${base}.o`]],
    [LD_LLD, ["-shared", "-z", "notext", `${base}.o`, "-o", `${base}.so`]],
  ] as [string, string[]][]) {
    const proc = execa(cmd, args, { reject: false, all: true });
    running.add(proc);
    const r = await proc;
    running.delete(proc);
    if (cancelled) return { ok: false, reason: "compile cancelled: the program has exited" };
    if (r.exitCode !== 0) return { ok: false, reason: `${cmd === o.clang ? "clang" : "ld.lld"} failed on ${base}.ll: ${(r.all ?? "").split("\n").slice(0, 4).join(" | ")}` };
  }
  if (o.logIR.has("asm")) {
    const a = await execa(o.clang, ["-O2", "-S", "-Wno-override-module", "-w", `${base}.ll`, "-o", "-"], { reject: false });
    process.stderr.write(`--- asm ${rec.id} ---\n${a.stdout}\n`);
  }
  const t3 = performance.now();
  return { ok: true, so: `${base}.so`, symbol, ms: { build: t1 - t0, codegen: t2 - t1, clang: t3 - t2 }, guards, insts };
}
