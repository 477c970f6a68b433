// `npm run bench`: runs every benchmark of bench/lua with every available
// engine, interleaving the runs (engine A, B, C, A, B, C, ...) so that noise
// on a shared machine spreads over all engines; prints a Markdown table and
// writes it with the machine description to bench/results.md. Exits non-zero
// when an engine's checksum differs from lua5.4's or a run fails. With
// --ablation it compares configurations of the JIT instead (ablation.ts).
import { Command } from "commander";
import { writeFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { runAblation } from "./ablation.js";
import { collectJitStats, renderJitTable, type JitStats } from "./jit-stats.js";
import { engines, JIT_ENGINE, RSS_ENGINES, TIME_RATIOS } from "./engines.js";
import { renderTable } from "./report.js";
import { BENCH_DIR, REPO_ROOT, listBenchmarks, loadAverage, machine, prepareEngines, runInterleaved, sizeArgs, timeoutFor, type Size } from "./suite.js";

async function main(): Promise<void> {
  const program = new Command()
    .name("bench")
    .description("Run bench/lua with lua5.4, luajit and minilua and compare them")
    .option("--runs <n>", "runs per benchmark and engine", "5")
    .option("--filter <regex>", "only benchmarks whose name matches")
    .option("--size <size>", "small | default | large", "default")
    .option("--out <file>", "Markdown results file (default bench/results.md, with --ablation bench/ablation.md)")
    .option("--ablation", "compare the JIT with each optimisation pass off, all off, the tiers and plain minilua; writes the Markdown file and an SVG chart next to it")
    .parse(process.argv);
  const opts = program.opts<{ runs: string; filter?: string; size: string; out?: string; ablation?: boolean }>();
  const runs = Number(opts.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${opts.runs}`);
  if (opts.size !== "small" && opts.size !== "default" && opts.size !== "large") throw new Error(`--size must be small, default or large, got ${opts.size}`);
  const size: Size = opts.size;
  const benches = listBenchmarks(opts.filter ? new RegExp(opts.filter) : null);
  if (benches.length === 0) throw new Error(`no benchmark in bench/lua matches --filter ${opts.filter}`);
  const extra = process.argv.slice(2).join(" ");
  const command = extra ? `npm run bench -- ${extra}` : "npm run bench";
  const env = { ...process.env, LANG: "C", LC_ALL: "C" } as Record<string, string>;

  if (opts.ablation) {
    const bad = await runAblation({ benches, runs, size, env, command, out: resolve(process.cwd(), opts.out ?? "bench/ablation.md") });
    if (bad) {
      console.error("bench: some configurations failed or printed a different checksum than lua5.4 (see the table)");
      process.exitCode = 1;
    }
    return;
  }

  const active = prepareEngines(engines(REPO_ROOT));
  const timeoutMs = timeoutFor(size);

  // The machine is shared: record how busy it was, since absolute times
  // (unlike the interleaved ratios) depend on it.
  const loadBefore = loadAverage();
  const jitRows: JitStats[] = [];
  const jit = active.find((e) => e.name === JIT_ENGINE);
  const { results, bad } = await runInterleaved(benches, active, {
    runs, size, env,
    afterBench: async (b, r) => {
      if (jit && !r.mismatches.has(JIT_ENGINE))
        jitRows.push(await collectJitStats(b.name, jit.command, [...jit.args, b.file, ...sizeArgs(b, size)], { ...env, ...jit.env }, BENCH_DIR, timeoutMs));
    },
  });

  const table = renderTable(results, active.map((e) => e.name), TIME_RATIOS, RSS_ENGINES);
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
    `- load average (1, 5, 15 min) at start: ${loadBefore}; at end: ${loadAverage()}`,
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
  const out = resolve(process.cwd(), opts.out ?? "bench/results.md");
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
