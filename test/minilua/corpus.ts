// Runs the Lua test corpus (test/lua) with any interpreter binary and
// compares each program's stdout, first stderr line and exit status with the
// lua5.4-generated expectations. Used by corpus.test.ts for plain minilua and
// meant to be reused for other builds (e.g. minilua with the JIT and
// YKTS_HOT_THRESHOLD=1): see defineCorpusSuite and runCorpus.
import { execa } from "execa";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { constants } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const CORPUS_DIR = join(REPO_ROOT, "test/lua");
/** The plain minilua build, relative to the corpus directory (the cwd of every run). */
export const MINILUA_BINARY = "../../interpreters/minilua/minilua";
/** Peak RSS bound of gc_stress.lua (see defineCorpusSuite). */
export const GC_STRESS_RSS_LIMIT_MB = 64;
/** Per-program bound: lua5.4 runs each program in well under a second. */
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface CorpusOptions {
  /** Interpreter to run; absolute or relative to test/lua (the cwd). */
  binary: string;
  /** Extra environment variables, added to (and overriding) test/lua/ENV. */
  env?: Record<string, string>;
  /** Label of this configuration in test names and messages. */
  name?: string;
  /** Only programs whose name matches. */
  filter?: RegExp;
  timeoutMs?: number;
  /**
   * Progname prefixes to strip from the first stderr line besides the binary
   * as given and its basename (an interpreter may print a fixed name).
   */
  prognames?: string[];
}

/** What a program produced, in the compared form. */
export interface Outcome {
  stdout: string;
  /** First stderr line without the progname prefix; null when none is expected. */
  stderr: string | null;
  status: number;
}

export interface ProgramResult {
  program: string;
  expected: Outcome;
  actual: Outcome;
  timedOut: boolean;
  ok: boolean;
}

/** Every program of the corpus (test/lua/*.lua), sorted by name. */
export function listPrograms(filter?: RegExp): string[] {
  return readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith(".lua"))
    .map((f) => f.slice(0, -".lua".length))
    .filter((n) => !filter || filter.test(n))
    .sort();
}

/** The environment of test/lua/ENV (the same file the generator reads). */
export function readCorpusEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(join(CORPUS_DIR, "ENV"), "utf8").split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) throw new Error(`test/lua/ENV: malformed line (want KEY=VALUE): ${line}`);
    env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return env;
}

/** The expectations written by scripts/gen-lua-expected.sh for one program. */
export function readExpected(program: string): Outcome {
  const base = join(CORPUS_DIR, program);
  if (!existsSync(`${base}.expected`)) {
    throw new Error(`test/lua/${program}.expected is missing: run scripts/gen-lua-expected.sh ${program}`);
  }
  const stderrFile = `${base}.stderr`;
  const statusFile = `${base}.status`;
  return {
    stdout: readFileSync(`${base}.expected`, "latin1"),
    stderr: existsSync(stderrFile) ? firstLine(readFileSync(stderrFile, "latin1")) : null,
    status: existsSync(statusFile) ? Number(readFileSync(statusFile, "utf8").trim()) : 0,
  };
}

function firstLine(text: string): string {
  const nl = text.indexOf("\n");
  return nl < 0 ? text : text.slice(0, nl);
}

/**
 * The compared form of stderr: its first line, with "<progname>: " removed
 * only when the line starts with one of the interpreter's names (lua.c
 * prefixes messages with argv[0]; error messages themselves may contain ": ").
 */
export function normaliseStderr(stderr: string, prognames: string[]): string {
  const line = firstLine(stderr);
  for (const p of prognames) {
    if (line.startsWith(`${p}: `)) return line.slice(p.length + 2);
  }
  return line;
}

/** Runs one program as lua5.4 was run for the expectations, and compares. */
export async function runProgram(program: string, opts: CorpusOptions): Promise<ProgramResult> {
  const expected = readExpected(program);
  const result = await execa(opts.binary, [`${program}.lua`], {
    cwd: CORPUS_DIR,
    env: { ...readCorpusEnv(), ...(opts.env ?? {}) },
    extendEnv: false,
    stdin: "ignore",
    timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    reject: false,
    stripFinalNewline: false,
    encoding: "latin1",
    maxBuffer: 64 * 1024 * 1024,
  });
  const prognames = [opts.binary, basename(opts.binary), ...(opts.prognames ?? [])];
  const stderrRaw = String(result.stderr ?? "");
  // A signal (crash) has no exit code: report it as 128+signo like a shell,
  // so it can never equal an expected status of 0 or 1.
  const status = result.exitCode ?? (result.signal ? 128 + signalNumber(result.signal) : -1);
  const actual: Outcome = {
    stdout: String(result.stdout ?? ""),
    stderr:
      expected.stderr === null && stderrRaw === "" && status === 0
        ? null
        : normaliseStderr(stderrRaw, prognames),
    status,
  };
  const timedOut = Boolean(result.timedOut);
  const ok =
    !timedOut &&
    actual.stdout === expected.stdout &&
    actual.stderr === expected.stderr &&
    actual.status === expected.status;
  return { program, expected, actual, timedOut, ok };
}

function signalNumber(signal: string): number {
  return (constants.signals as Record<string, number>)[signal] ?? 0;
}

/** Runs the whole corpus (or the filtered part) one program at a time. */
export async function runCorpus(opts: CorpusOptions): Promise<ProgramResult[]> {
  const results: ProgramResult[] = [];
  for (const program of listPrograms(opts.filter)) results.push(await runProgram(program, opts));
  return results;
}

/**
 * Peak RSS in KiB of one corpus program run like runProgram runs it, measured
 * with GNU time (installed by scripts/setup-toolchain.sh). Throws when the
 * program fails, so a crash cannot pass for low memory use.
 */
export async function peakRssKb(program: string, opts: CorpusOptions): Promise<number> {
  const r = await execa("/usr/bin/time", ["-f", "%M", opts.binary, `${program}.lua`], {
    cwd: CORPUS_DIR,
    env: { ...readCorpusEnv(), ...(opts.env ?? {}) },
    extendEnv: false,
    stdin: "ignore",
    timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    reject: false,
  });
  if (r.exitCode !== 0) throw new Error(`${program}.lua failed under ${opts.binary} (exit ${r.exitCode}): ${r.stderr}`);
  const lines = String(r.stderr).trim().split("\n");
  const kb = Number(lines[lines.length - 1]);
  if (!Number.isFinite(kb) || kb <= 0) throw new Error(`cannot read the peak RSS of ${program}.lua from GNU time: ${r.stderr}`);
  return kb;
}

/** Builds plain minilua with clang-19; throws with make's output on failure. */
export async function buildMinilua(): Promise<void> {
  const makefile = join(REPO_ROOT, "interpreters/minilua/Makefile");
  if (!existsSync(makefile)) {
    throw new Error("interpreters/minilua/Makefile does not exist yet: minilua cannot be built");
  }
  const r = await execa("make", ["-C", "interpreters/minilua", "CC=/usr/lib/llvm-19/bin/clang"], {
    cwd: REPO_ROOT,
    reject: false,
    all: true,
  });
  if (r.exitCode !== 0) {
    throw new Error(`building minilua failed (make -C interpreters/minilua CC=/usr/lib/llvm-19/bin/clang, exit ${r.exitCode}):\n${r.all}`);
  }
}

/**
 * Defines one vitest test per corpus program for the given configuration.
 * `setup` runs once before them (e.g. a build) and fails every test loudly
 * when it throws.
 */
export function defineCorpusSuite(opts: CorpusOptions & { setup?: () => Promise<void> }): void {
  describe(`Lua corpus with ${opts.name ?? opts.binary}`, () => {
    if (opts.setup) beforeAll(opts.setup);
    // gc_stress allocates about 350 MB that is garbage almost at once
    // (lua5.4 peaks near 4 MB): a bound well above a collector's needs and
    // well below the total shows that memory is reclaimed.
    test(`gc_stress peaks below ${GC_STRESS_RSS_LIMIT_MB} MB RSS (garbage is collected)`, async () => {
      const kb = await peakRssKb("gc_stress", opts);
      expect(kb / 1024).toBeLessThan(GC_STRESS_RSS_LIMIT_MB);
    });
    for (const program of listPrograms(opts.filter)) {
      test(program, async () => {
        const r = await runProgram(program, opts);
        expect(r.timedOut, `${program}.lua timed out after ${opts.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`).toBe(false);
        // One comparison of the whole outcome, so the diff shows every part.
        expect(r.actual).toEqual(r.expected);
      });
    }
  });
}
