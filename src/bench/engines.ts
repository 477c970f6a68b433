// The engines `npm run bench` compares, in one list: how each runs a Lua file
// and whether it is available on this machine. A JIT-enabled minilua slots in
// as one more entry (its binary plus YKTS_* environment variables).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { execaSync } from "execa";

export interface Engine {
  /** Column name in the results table. */
  name: string;
  /** Executable (absolute path or a name looked up in PATH). */
  command: string;
  /** Arguments put before the benchmark file. */
  args: string[];
  /** Extra environment variables for every run. */
  env: Record<string, string>;
  /** Why the engine cannot run here, or null when it can. */
  unavailable(): string | null;
  /**
   * Copy the binary aside before the first run, so that a rebuild in the
   * working tree during a long benchmark run cannot change or remove what is
   * measured. Only for self-contained binaries.
   */
  snapshot?: boolean;
}

function onPath(cmd: string): boolean {
  try {
    execaSync("sh", ["-c", `command -v ${cmd}`]);
    return true;
  } catch {
    return false;
  }
}

export function engines(repoRoot: string): Engine[] {
  // Other builds can be compared (and tests bring their own):
  // YKTS_BENCH_MINILUA and YKTS_BENCH_YKTS name the plain and the
  // retrofitted binary.
  const minilua = process.env.YKTS_BENCH_MINILUA || join(repoRoot, "interpreters/minilua/minilua");
  const ykts = process.env.YKTS_BENCH_YKTS || join(repoRoot, "build/demo/minilua");
  return [
    // The reference: every engine's checksum is compared with lua5.4's.
    {
      name: "lua5.4",
      command: "lua5.4",
      args: [],
      env: {},
      unavailable: () => (onPath("lua5.4") ? null : "lua5.4 not in PATH (run scripts/setup-toolchain.sh)"),
    },
    {
      name: "luajit",
      command: "luajit",
      args: [],
      env: {},
      unavailable: () => (onPath("luajit") ? null : "luajit not in PATH (run scripts/setup-toolchain.sh)"),
    },
    {
      name: "minilua",
      command: minilua,
      args: [],
      env: {},
      snapshot: true,
      unavailable: () =>
        existsSync(minilua) ? null : "interpreters/minilua/minilua not built (make -C interpreters/minilua)",
    },
    // minilua retrofitted by `make CC="ykts cc"` (`npm run demo` builds it
    // into build/demo): with the JIT off, the cost of the instrumentation
    // alone; with it on, the JIT (recording, compiling in the background,
    // running traces).
    {
      name: "ykts-off",
      command: ykts,
      args: [],
      env: { YKTS_JIT: "off" },
      snapshot: true,
      unavailable: () => (existsSync(ykts) ? null : "build/demo/minilua not built (npm run demo)"),
    },
    // The JIT on with nothing compiled (YKTS_COMPILE=off: jitd validates
    // each recording and answers "not compiled"): counting, recording and
    // jitd beside the interpreter, without a trace to gain from.
    {
      name: NOCOMPILE_ENGINE,
      command: ykts,
      args: [],
      env: { YKTS_COMPILE: "off" },
      snapshot: true,
      unavailable: () => (existsSync(ykts) ? null : "build/demo/minilua not built (npm run demo)"),
    },
    {
      name: JIT_ENGINE,
      command: ykts,
      args: [],
      env: {},
      snapshot: true,
      unavailable: () => (existsSync(ykts) ? null : "build/demo/minilua not built (npm run demo)"),
    },
    // The other tiers (docs/traces.md §7): minilua+JIT is the default,
    // YKTS_TIER=llvm; tcc alone, and auto (tcc first, then clang's code
    // swapped in).
    ...(["tcc", "auto"] as const).map((tier) => ({
      name: `${JIT_ENGINE} ${tier}`,
      command: ykts,
      args: [],
      env: { YKTS_TIER: tier },
      snapshot: true,
      unavailable: () => (existsSync(ykts) ? null : "build/demo/minilua not built (npm run demo)"),
    })),
  ];
}

/** minilua built by ykts cc, JIT on. */
export const JIT_ENGINE = "minilua+JIT";

/** The same with the JIT on and nothing compiled. */
export const NOCOMPILE_ENGINE = "ykts-nocompile";

/** The engine every checksum is compared with. */
export const REFERENCE_ENGINE = "lua5.4";

/** Time ratios shown as columns: [numerator, denominator] engine names. */
export const TIME_RATIOS: Array<[string, string]> = [
  ["minilua", "lua5.4"],
  ["minilua", "luajit"],
  ["ykts-off", "minilua"],
  [NOCOMPILE_ENGINE, "minilua"],
  [JIT_ENGINE, "minilua"],
  [JIT_ENGINE, "lua5.4"],
  [JIT_ENGINE, "luajit"],
  [`${JIT_ENGINE} tcc`, "minilua"],
  [`${JIT_ENGINE} auto`, "minilua"],
];

/** Engines whose peak RSS is shown, in this order. */
export const RSS_ENGINES = ["minilua", "lua5.4"];
