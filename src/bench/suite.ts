// What `npm run bench` and its ablation mode share: the list of bench/lua
// programs and their sizes, the machine description, the engines that can
// run here (snapshotted), and the interleaved runs (engine A, B, C, A, B, C,
// ...) with every checksum compared with lua5.4's.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { REFERENCE_ENGINE, type Engine } from "./engines.js";
import { measure, type Measurement } from "./measure.js";
import type { BenchResult } from "./report.js";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const BENCH_DIR = join(REPO_ROOT, "bench/lua");

export type Size = "small" | "default" | "large";

export interface Benchmark {
  name: string;
  file: string;
  /** Size argument for --size small (from the file's "-- bench-small: N" line). */
  small: string;
  /** Size argument for --size large ("-- bench-large: N": about 4–5 times the default's time, for steady-state figures). */
  large: string;
}

export function listBenchmarks(filter: RegExp | null): Benchmark[] {
  return readdirSync(BENCH_DIR)
    .filter((f) => f.endsWith(".lua"))
    .sort()
    .map((f) => {
      const text = readFileSync(join(BENCH_DIR, f), "utf8");
      const m = /^-- bench-small: (\S+)$/m.exec(text);
      if (!m) throw new Error(`bench/lua/${f}: missing the "-- bench-small: N" header line`);
      const l = /^-- bench-large: (\S+)$/m.exec(text);
      if (!l) throw new Error(`bench/lua/${f}: missing the "-- bench-large: N" header line`);
      return { name: f.slice(0, -4), file: f, small: m[1]!, large: l[1]! };
    })
    .filter((b) => !filter || filter.test(b.name));
}

/** The size argument after the benchmark file (none for the default size). */
export function sizeArgs(b: Benchmark, size: Size): string[] {
  return size === "small" ? [b.small] : size === "large" ? [b.large] : [];
}

export function timeoutFor(size: Size): number {
  return size === "small" ? 60_000 : size === "large" ? 1_800_000 : 600_000;
}

export function machine(): string {
  let model = cpus()[0]?.model ?? "unknown CPU";
  try {
    const m = /^model name\s*:\s*(.*)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    if (m) model = m[1]!;
  } catch {
    // not Linux: keep what os.cpus() says
  }
  return `${cpus().length} CPUs (nproc), ${model}`;
}

/** The load average (1, 5, 15 min) as "a b c": the machine is shared. */
export function loadAverage(): string {
  return loadavg().map((x) => x.toFixed(2)).join(" ");
}

/**
 * The engines that can run here, with a message on stderr for each one that
 * cannot. Self-contained binaries are copied aside first (once per binary,
 * however many engines run it), so that a rebuild in the working tree during
 * a long run cannot change what is measured; the copies go when the process
 * exits. Throws when the reference engine is missing.
 */
export function prepareEngines(candidates: Engine[]): Engine[] {
  const active: Engine[] = [];
  const snapshotDir = mkdtempSync(join(tmpdir(), "ykts-bench-"));
  process.on("exit", () => rmSync(snapshotDir, { recursive: true, force: true }));
  const copies = new Map<string, string>();
  for (const e of candidates) {
    const why = e.unavailable();
    if (why) {
      console.error(`bench: skipping ${e.name}: ${why}`);
      continue;
    }
    if (e.snapshot) {
      let copy = copies.get(e.command);
      if (copy === undefined) {
        copy = join(snapshotDir, e.name.replace(/[^\w.+-]/g, "_"));
        copyFileSync(e.command, copy);
        copies.set(e.command, copy);
      }
      active.push({ ...e, command: copy });
    } else {
      active.push(e);
    }
  }
  if (!active.some((e) => e.name === REFERENCE_ENGINE)) {
    throw new Error(`bench: the reference engine ${REFERENCE_ENGINE} is not available; checksums cannot be checked`);
  }
  return active;
}

export interface SuiteOptions {
  runs: number;
  size: Size;
  /** Environment of every run (the engines' own variables are added to it). */
  env: Record<string, string>;
  /** Called after each benchmark's runs, e.g. for an extra statistics run. */
  afterBench?: (b: Benchmark, r: BenchResult) => Promise<void>;
}

/**
 * Runs every benchmark with every engine, `runs` times, interleaved. The
 * reference engine must come first in `active`: every other engine's
 * checksum is compared with its. A failed run or a different checksum is
 * recorded in the result's mismatches (and that engine is not run again on
 * that benchmark); `bad` is true when there is any.
 */
export async function runInterleaved(benches: Benchmark[], active: Engine[], o: SuiteOptions): Promise<{ results: BenchResult[]; bad: boolean }> {
  const timeoutMs = timeoutFor(o.size);
  const results: BenchResult[] = [];
  let bad = false;
  for (const b of benches) {
    const args = sizeArgs(b, o.size);
    const r: BenchResult = { bench: b.name, runs: new Map(), mismatches: new Map() };
    let reference: string | null = null;
    for (let run = 0; run < o.runs; run++) {
      for (const e of active) {
        if (r.mismatches.has(e.name)) continue; // a failed engine is not run again
        const m: Measurement = await measure(e.command, [...e.args, b.file, ...args], { ...o.env, ...e.env }, BENCH_DIR, timeoutMs);
        r.runs.set(e.name, [...(r.runs.get(e.name) ?? []), m]);
        if (m.failure) {
          r.mismatches.set(e.name, m.failure);
        } else if (e.name === REFERENCE_ENGINE) {
          reference ??= m.checksum;
        } else if (reference === null) {
          r.mismatches.set(e.name, `no ${REFERENCE_ENGINE} checksum to compare with`);
        } else if (m.checksum !== reference) {
          r.mismatches.set(e.name, `checksum ${JSON.stringify(m.checksum)} ≠ ${JSON.stringify(reference)}`);
        }
        process.stderr.write(`bench: ${b.name} run ${run + 1}/${o.runs} ${e.name} ${m.failure ?? `${m.wallSeconds.toFixed(3)} s`}\n`);
      }
    }
    if (r.mismatches.size) bad = true;
    results.push(r);
    await o.afterBench?.(b, r);
  }
  return { results, bad };
}
