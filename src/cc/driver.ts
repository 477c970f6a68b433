// `ykts cc`: a drop-in C compiler for Makefiles (docs/cc.md). Each C
// translation unit goes clang-19 → LLVM text → ykir → instrumenter → clang-19
// → object with its ykir in `.ykts_ir`; a link adds the runtime. Anything
// that is not compiling or linking C (-E, -S, -M, --version, ...) is clang's
// business and passed through. clang's diagnostics and exit status pass
// through unchanged; the driver's own errors say `ykts cc: <file>: ...` and
// exit 1.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { ArgError, defaultObjectName, depFlagsFor, parseArgs, type ParsedArgs } from "./args.js";
import { CLANG, LD_LLD, NATIVE_DIR, OBJCOPY } from "./toolchain.js";

/** An error of the driver itself: printed as `ykts cc: <message>`, exit 1. */
export class CcError extends Error {}

/** Exit status carrier for a failed tool whose diagnostics were already shown. */
class ToolFailed extends Error {
  constructor(readonly status: number) { super(`tool failed with status ${status}`); }
}

const YKTS_FLAGS = () => ["-D__YKTS__", "-I", NATIVE_DIR];
const RUNTIME_LIBS = ["-rdynamic", "-ldl", "-lpthread"];

/** YKTS_CC_TIMES=1: one line per step with its wall time, for measuring per-file cost. */
function timed<T>(what: string, f: () => T): T {
  if (!process.env.YKTS_CC_TIMES) return f();
  const t0 = performance.now();
  try {
    return f();
  } finally {
    process.stderr.write(`ykts cc: time ${what} ${(performance.now() - t0).toFixed(1)} ms\n`);
  }
}

function run(cmd: string, args: string[]): void {
  if (process.env.YKTS_CC_VERBOSE) process.stderr.write(`ykts cc: + ${cmd} ${args.join(" ")}\n`);
  const r = timed(cmd.slice(cmd.lastIndexOf("/") + 1), () => spawnSync(cmd, args, { stdio: "inherit" }));
  if (r.error) throw new CcError(`cannot run ${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new ToolFailed(r.status ?? 1);
}

function runAsync(cmd: string, args: string[]): Promise<void> {
  if (process.env.YKTS_CC_VERBOSE) process.stderr.write(`ykts cc: + ${cmd} ${args.join(" ")}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: "inherit" });
    child.on("error", (e) => reject(new CcError(`cannot run ${cmd}: ${e.message}`)));
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new ToolFailed(code ?? 1))));
  });
}

function clangPassthrough(args: string[]): number {
  const r = spawnSync(CLANG, args, { stdio: "inherit" });
  if (r.error) {
    process.stderr.write(`ykts cc: cannot run ${CLANG}: ${r.error.message}\n`);
    return 1;
  }
  return r.status ?? 1;
}

/** Entry point: returns the process exit status. */
export async function runCc(argv: string[]): Promise<number> {
  let p: ParsedArgs;
  try {
    p = parseArgs(argv);
  } catch (e) {
    if (e instanceof ArgError) {
      process.stderr.write(`ykts cc: error: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  if (p.mode === "passthrough") return clangPassthrough(argv);
  if (p.declined) {
    process.stderr.write(`ykts cc: error: ${p.declined}\n`);
    return 1;
  }
  // -E, -M/-MM and -S: what clang does, with ykts.h configured as in a compile.
  if (p.mode === "preprocess" || p.mode === "assemble-only") return clangPassthrough([...YKTS_FLAGS(), ...argv]);

  const work = mkdtempSync(`${tmpdir()}/ykts-cc-`);
  try {
    if (p.mode === "compile") {
      for (const src of p.sources) await compileTU(p, src, p.output ?? defaultObjectName(src), work);
      for (const other of p.otherInputs) {
        // Assembly (and anything else clang accepts with -c) is compiled as is.
        const out = p.output ?? defaultObjectName(other);
        run(CLANG, [...p.compileFlags, ...YKTS_FLAGS(), ...depFlagsFor(p.deps, other, p.output), "-c", other, "-o", out]);
      }
      return 0;
    }
    // Link: compile the C sources to temporary objects, then link everything.
    const objs: string[] = [];
    for (let i = 0; i < p.sources.length; i++) {
      const src = p.sources[i]!;
      const obj = `${work}/${i}-${defaultObjectName(src)}`;
      await compileTU(p, src, obj, work);
      objs.push(obj);
    }
    const { runtimeObject, RuntimeBuildError } = await import("./runtime.js");
    let rt: string;
    try {
      rt = runtimeObject();
    } catch (e) {
      if (e instanceof RuntimeBuildError) throw new CcError(e.message);
      throw e;
    }
    const items = p.linkItems.map((it) => (it.kind === "source" ? objs[it.index]! : it.value));
    const out = p.output ?? "a.out";
    run(CLANG, [...p.linkFlags, ...items, rt, ...RUNTIME_LIBS, "-o", out]);
    return 0;
  } catch (e) {
    if (e instanceof ToolFailed) return e.status;
    if (e instanceof CcError) {
      process.stderr.write(`ykts cc: ${e.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    if (process.env.YKTS_KEEP_TEMPS) process.stderr.write(`ykts cc: temporaries kept in ${work}\n`);
    else rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The level the instrumented originals are compiled at (step 3): -O3 where
 * the user asked for -O2, else the user's level; YKTS_CC_ORIG_OPT overrides.
 * The originals are IR that clang already optimised at the user's level
 * around calls the JIT needs (promotes, idempotent functions kept out of
 * line) and that were then erased or allowed to inline; optimised again at
 * -O2, minilua ran 10-20% slower than its plain build with the JIT off
 * (mandelbrot 0.75-0.79 s against 0.64-0.65 s), at -O3 as fast (0.66 s).
 * The ykir the JIT sees is still the user's level's (step 1).
 */
export function originalsOpt(userOpt: string): string {
  const o = process.env.YKTS_CC_ORIG_OPT;
  if (o) return o;
  return userOpt === "-O2" ? "-O3" : userOpt;
}

/** Compiles one C translation unit to `out` (an object with `.ykts_ir`). */
async function compileTU(p: ParsedArgs, src: string, out: string, work: string): Promise<void> {
  const instrumentOn = process.env.YKTS_INSTRUMENT !== "off";
  const bridge = await import("./ykir-bridge.js");
  // The serialiser is needed in both modes: for the frame version when
  // instrumenting, to serialise the module itself in plain mode.
  const serialise = await bridge.ykirSerialiser();
  const encodePayload = instrumentOn ? null : await bridge.payloadEncoder();
  const deps = depFlagsFor(p.deps, src, p.output);
  const opt = p.optLevel ?? "-O2";

  const base = `${work}/${defaultObjectName(src).replace(/\.o$/, "")}-${Math.random().toString(36).slice(2, 8)}`;
  const ll = `${base}.ll`;
  run(CLANG, [...p.compileFlags, ...YKTS_FLAGS(), opt, "-S", "-emit-llvm", ...deps, src, "-o", ll]);

  const text = readFileSync(ll, "utf8");
  let module: Awaited<ReturnType<typeof bridge.parseLLVM>>;
  let toCompile = ll;
  let clonesLl: string | undefined;
  let ykirBytes: Uint8Array;
  try {
    module = await bridge.parseLLVM(text, src); // first call also loads the parser
    if (process.env.YKTS_CC_TIMES) {
      const t0 = performance.now();
      await bridge.parseLLVM(text, src);
      process.stderr.write(`ykts cc: time parse (second run, to separate module loading) ${(performance.now() - t0).toFixed(1)} ms\n`);
    }
    if (instrumentOn) {
      const r = await bridge.instrument(module, { file: src });
      toCompile = `${base}.inst.ll`;
      writeFileSync(toCompile, r.instrumentedText);
      clonesLl = `${base}.clones.ll`;
      writeFileSync(clonesLl, r.clonesText);
      ykirBytes = r.ykirBytes;
    } else {
      // The same payload format as instrumented units, with no functions in its side table.
      const side = { version: 1 as const, source: src, unit: "", functions: [] };
      ykirBytes = timed("serialise", () => encodePayload!(serialise(module), side));
    }
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const hint = e instanceof bridge.BridgeError && instrumentOn
      ? " (set YKTS_INSTRUMENT=off to compile without instrumentation)" : "";
    // The parser's and instrumenter's messages may already start with the file name.
    throw new CcError(`${msg.startsWith(src) ? "" : `${src}: `}${msg}${hint}`);
  }

  const obj = `${base}.o`;
  if (clonesLl === undefined) {
    run(CLANG, ["-c", opt, ...p.codegenFlags, "-Wno-unused-command-line-argument", toCompile, "-o", obj]);
  } else {
    // Originals at the user's level and clones at -O0, side by side, then
    // one relocatable object (docs/cc.md).
    const objA = `${base}.orig.o`, objB = `${base}.clones.o`;
    await Promise.all([
      runAsync(CLANG, ["-c", originalsOpt(opt), ...p.codegenFlags, "-Wno-unused-command-line-argument", toCompile, "-o", objA]),
      runAsync(CLANG, ["-c", "-O0", ...p.codegenFlags, "-Wno-unused-command-line-argument", clonesLl, "-o", objB]),
    ]);
    run(LD_LLD, ["-r", objA, objB, "-o", obj]);
  }
  const { encodeFrame } = await import("../jitd/ykir-frames.js");
  const frame = `${base}.ykir`;
  writeFileSync(frame, encodeFrame(ykirBytes, bridge.ykirFormatVersion));
  // objcopy writes a temporary beside the output; rename makes the object
  // appear whole, so an interrupted build never leaves a fresh-looking .o.
  const tmpOut = `${out}.ykts-${process.pid}.tmp`;
  try {
    run(OBJCOPY, ["--add-section", `.ykts_ir=${frame}`, obj, tmpOut]);
    renameSync(tmpOut, out);
  } finally {
    rmSync(tmpOut, { force: true });
  }
}
