// From a trace's LLVM module on disk to the shared object the runtime
// dlopens: clang to an object, then a link into a .so (docs/traces.md §5,
// "Compile time").
//
// clang: -O2 without tail merging. Branch folding merged the cold guard
// exits with one another (up to 6% of codegen on a big trace) and never
// touched the loop. -O1 and fast instruction selection compile 6–8% faster
// but make slower traces.
//
// The link: tcc by default, ld.lld if tcc fails (or with YKTS_TRACE_LD=lld).
// Both take clang's object unchanged (relocations, .llvm_stackmaps, which
// the runtime reads in the loaded image); ld.lld spends ~18 ms of CPU per
// trace loading LLVM's shared library before it reads anything, tcc ~4 ms
// in all. The stackmap section holds the trace's absolute address: a text
// relocation (ld.lld's -z notext; tcc allows it by itself). `clang -shared`
// ran GNU ld with the C start files and libraries, which a trace does not
// need (it is dlopen'ed into the interpreter, whose symbols it uses).
import type { ToolResult } from "./run-tool.js";
import { LD_LLD } from "../cc/toolchain.js";

export const DEFAULT_CLANG_OPT = ["-O2", "-mllvm", "-enable-tail-merge=false"];

export type TraceLinker = "tcc" | "lld";

/** YKTS_CLANG_OPT: clang's optimisation flags for traces, space-separated (default DEFAULT_CLANG_OPT). */
export function parseClangOpt(v: string | undefined): string[] {
  const flags = (v ?? "").split(/\s+/).filter(Boolean);
  return flags.length ? flags : DEFAULT_CLANG_OPT;
}

/** YKTS_TRACE_LD: the linker tried first (default tcc). */
export function parseTraceLinker(v: string | undefined): TraceLinker {
  if (v === undefined || v === "" || v === "tcc") return "tcc";
  if (v === "lld") return "lld";
  throw new Error(`YKTS_TRACE_LD=${v}: expected tcc or lld`);
}

export interface TraceToolchain {
  clang: string;
  clangOpt: string[];
  tcc: string;
  linker: TraceLinker;
}

type Run = (cmd: string, args: string[]) => Promise<Pick<ToolResult, "exitCode" | "all">>;

const firstLines = (s: string) => s.split("\n").slice(0, 4).join(" | ");

/** clang's arguments for `ll` with the trace options, up to the output (`-c -o X.o` or `-S -o -`). */
export function clangArgs(t: TraceToolchain, ll: string): string[] {
  return [...t.clangOpt, "-fPIC", "-Wno-override-module", "-w", ll];
}

/** Compiles `${b}.ll` to `${b}.so`; `run` runs a tool (and is where a cancelled compile stops: it then returns a failure). */
export async function buildTraceObject(t: TraceToolchain, b: string, run: Run): Promise<{ ok: true } | { ok: false; reason: string }> {
  const c = await run(t.clang, [...clangArgs(t, `${b}.ll`), "-c", "-o", `${b}.o`]);
  if (c.exitCode !== 0) return { ok: false, reason: `clang failed on ${b}.ll: ${firstLines(c.all)}` };
  const lld = (): Promise<Pick<ToolResult, "exitCode" | "all">> => run(LD_LLD, ["-shared", "-z", "notext", `${b}.o`, "-o", `${b}.so`]);
  if (t.linker === "tcc") {
    const l = await run(t.tcc, ["-shared", "-nostdlib", `${b}.o`, "-o", `${b}.so`]);
    if (l.exitCode === 0) return { ok: true };
    const r = await lld();
    if (r.exitCode === 0) return { ok: true };
    return { ok: false, reason: `tcc failed to link ${b}.o: ${firstLines(l.all)}; ld.lld too: ${firstLines(r.all)}` };
  }
  const r = await lld();
  return r.exitCode === 0 ? { ok: true } : { ok: false, reason: `ld.lld failed on ${b}.o: ${firstLines(r.all)}` };
}
