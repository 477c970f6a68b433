// `npm run bench`: runs every benchmark of bench/lua with every available
// engine, interleaving the runs (engine A, B, C, A, B, C, ...) so that noise
// on a shared machine spreads over all engines; prints a Markdown table and
// writes it with the machine description to bench/results.md. Exits non-zero
// when an engine's checksum differs from lua5.4's or a run fails.
import { Command } from "commander";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { collectJitStats, renderJitTable, type JitStats } from "./jit-stats.js";
import { engines, JIT_ENGINE, REFERENCE_ENGINE, RSS_ENGINES, TIME_RATIOS, type Engine } from "./engines.js";
import { measure, type Measurement } from "./measure.js";
import { renderTable, type BenchResult } from "./report.js";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const BENCH_DIR = join(REPO_ROOT, "bench/lua");

interface Benchmark {
  name: string;
  file: string;
  /** Size argument for --size small (from the file's "-- bench-small: N" line). */
  small: string;
  /** Size argument for --size large ("-- bench-large: N": about 4–5 times the default's time, for steady-state figures). */
  large: string;
}

function listBenchmarks(filter: RegExp | null): Benchmark[] {
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

function machine(): string {
  let model = cpus()[0]?.model ?? "unknown CPU";
  try {
    const m = /^model name\s*:\s*(.*)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    if (m) model = m[1]!;
  } catch {
    // not Linux: keep what os.cpus() says
  }
  return `${cpus().length} CPUs (nproc), ${model}`;
}

async function main(): Promise<void> {
  const program = new Command()
    .name("bench")
    .description("Run bench/lua with lua5.4, luajit and minilua and compare them")
    .option("--runs <n>", "runs per benchmark and engine", "5")
    .option("--filter <regex>", "only benchmarks whose name matches")
    .option("--size <size>", "small | default | large", "default")
    .option("--out <file>", "Markdown results file", "bench/results.md")
    .parse(process.argv);
  const opts = program.opts<{ runs: string; filter?: string; size: string; out: string }>();
  const runs = Number(opts.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${opts.runs}`);
  if (opts.size !== "small" && opts.size !== "default" && opts.size !== "large") throw new Error(`--size must be small, default or large, got ${opts.size}`);
  const benches = listBenchmarks(opts.filter ? new RegExp(opts.filter) : null);
  if (benches.length === 0) throw new Error(`no benchmark in bench/lua matches --filter ${opts.filter}`);

  const active: Engine[] = [];
  const snapshotDir = mkdtempSync(join(tmpdir(), "ykts-bench-"));
  process.on("exit", () => rmSync(snapshotDir, { recursive: true, force: true }));
  for (const e of engines(REPO_ROOT)) {
    const why = e.unavailable();
    if (why) {
      console.error(`bench: skipping ${e.name}: ${why}`);
      continue;
    }
    if (e.snapshot) {
      const copy = join(snapshotDir, e.name.replace(/[^\w.+-]/g, "_"));
      copyFileSync(e.command, copy);
      active.push({ ...e, command: copy });
    } else {
      active.push(e);
    }
  }
  if (!active.some((e) => e.name === REFERENCE_ENGINE)) {
    throw new Error(`bench: the reference engine ${REFERENCE_ENGINE} is not available; checksums cannot be checked`);
  }
  const timeoutMs = opts.size === "small" ? 60_000 : opts.size === "large" ? 1_800_000 : 600_000;
  const env = { ...process.env, LANG: "C", LC_ALL: "C" } as Record<string, string>;

  // The machine is shared: record how busy it was, since absolute times
  // (unlike the interleaved ratios) depend on it.
  const loadBefore = loadavg().map((x) => x.toFixed(2)).join(" ");
  const results: BenchResult[] = [];
  const jitRows: JitStats[] = [];
  let bad = false;
  for (const b of benches) {
    const args = opts.size === "small" ? [b.small] : opts.size === "large" ? [b.large] : [];
    const r: BenchResult = { bench: b.name, runs: new Map(), mismatches: new Map() };
    let reference: string | null = null;
    for (let run = 0; run < runs; run++) {
      for (const e of active) {
        if (r.mismatches.has(e.name)) continue; // a failed engine is not run again
        const m: Measurement = await measure(e.command, [...e.args, b.file, ...args], { ...env, ...e.env }, BENCH_DIR, timeoutMs);
        r.runs.set(e.name, [...(r.runs.get(e.name) ?? []), m]);
        if (m.failure) {
          r.mismatches.set(e.name, m.failure);
        } else if (e.name === REFERENCE_ENGINE) {
          reference ??= m.checksum;
        } else if (reference !== null && m.checksum !== reference) {
          r.mismatches.set(e.name, `checksum ${JSON.stringify(m.checksum)} ≠ ${JSON.stringify(reference)}`);
        }
        process.stderr.write(`bench: ${b.name} run ${run + 1}/${runs} ${e.name} ${m.failure ?? `${m.wallSeconds.toFixed(3)} s`}\n`);
      }
    }
    if (r.mismatches.size) bad = true;
    results.push(r);
    const jit = active.find((e) => e.name === JIT_ENGINE);
    if (jit && !r.mismatches.has(JIT_ENGINE))
      jitRows.push(await collectJitStats(b.name, jit.command, [...jit.args, b.file, ...args], { ...env, ...jit.env }, BENCH_DIR, timeoutMs));
  }

  const table = renderTable(results, active.map((e) => e.name), TIME_RATIOS, RSS_ENGINES);
  const extra = process.argv.slice(2).join(" ");
  const command = extra ? `npm run bench -- ${extra}` : "npm run bench";
  const doc = [
    "# Benchmark results",
    "",
    "Written by `npm run bench` (src/bench/run.ts); see bench/README.md.",
    "",
    `- date: ${new Date().toISOString()}`,
    `- machine: ${machine()}`,
    `- command: \`${command}\``,
    `- runs: ${runs} per engine, interleaved; times are medians of wall-clock seconds; RSS is the largest peak RSS over the runs`,
    `- size: ${opts.size}`,
    `- load average (1, 5, 15 min) at start: ${loadBefore}; at end: ${loadavg().map((x) => x.toFixed(2)).join(" ")}`,
    "",
    table,
    "",
    ...(jitRows.length ? [
      `## The JIT (${JIT_ENGINE}): traces and compile latency`,
      "",
      "From one extra, untimed run per benchmark with YKTS_LOG=1 and YKTS_STATS=1; a trace's compile latency is jitd's time to build, generate and compile it (clang), not counting the wait in jitd's queue.",
      "",
      renderJitTable(jitRows),
      "",
    ] : []),
  ].join("\n");
  console.log(table);
  if (jitRows.length) console.log("\n" + renderJitTable(jitRows));
  const out = resolve(process.cwd(), opts.out);
  writeFileSync(out, doc);
  console.error(`bench: wrote ${relative(process.cwd(), out)}`);
  if (bad) {
    console.error("bench: some engines failed or printed a different checksum than lua5.4 (see the table)");
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 2;
});
