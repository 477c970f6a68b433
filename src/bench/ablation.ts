// `npm run bench -- --ablation`: what each part of the JIT is worth. The same
// minilua+JIT binary runs with all trace optimisation passes, with each pass
// switched off in turn (YKTS_OPT=-name), with all of them off, and with the
// other tiers (YKTS_TIER=tcc, auto); plain minilua (no JIT) is the baseline.
// The runs are interleaved as in the ordinary bench and every checksum is
// compared with lua5.4's. Writes bench/ablation.md (tables of times, ratios
// to the all-passes JIT and to minilua, geometric means) and
// bench/ablation.svg (the geometric means as bars, the per-benchmark ratios
// as a grid).
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, relative } from "node:path";
import { PASSES } from "../opt/index.js";
import { engines, JIT_ENGINE, REFERENCE_ENGINE, type Engine } from "./engines.js";
import { geomean, medianTime, type BenchResult } from "./report.js";
import { REPO_ROOT, loadAverage, machine, prepareEngines, runInterleaved, type Benchmark, type Size } from "./suite.js";
import { barChartSvg, type BarChart } from "./svg.js";

export interface AblationConfig {
  /** Column name, also the bar's label. */
  name: string;
  /** What runs: plain minilua, or the ykts-built minilua with the JIT on. */
  jit: boolean;
  /**
   * YKTS_* variables of every run. Both are always set for the JIT (empty
   * means the default), so that a YKTS_OPT or YKTS_TIER in the caller's
   * environment cannot change a configuration.
   */
  env: Record<string, string>;
  /** How the configuration is obtained, for the table. */
  what: string;
  kind: "baseline" | "all" | "pass-off" | "none" | "tier";
}

export const BASELINE = "minilua (no JIT)";
export const ALL_PASSES = "JIT all passes";

/** The configurations, one per pass of `passes` (the optimiser's PASSES that are on by default) switched off. */
export function ablationConfigs(passes: readonly string[] = PASSES.filter((p) => !p.defaultOff).map((p) => p.name)): AblationConfig[] {
  const jit = (name: string, opt: string, tier: string, what: string, kind: AblationConfig["kind"]): AblationConfig => ({
    name, jit: true, env: { YKTS_OPT: opt, YKTS_TIER: tier }, what, kind,
  });
  const none = passes.map((p) => `-${p}`).join(",");
  return [
    { name: BASELINE, jit: false, env: {}, what: "interpreters/minilua/minilua (clang-19, no instrumentation)", kind: "baseline" },
    jit(ALL_PASSES, "", "", "build/demo/minilua, default tier (llvm), every pass", "all"),
    ...passes.map((p) => jit(`JIT -${p}`, `-${p}`, "", `\`YKTS_OPT=-${p}\``, "pass-off")),
    jit("JIT no passes", none, "", `\`YKTS_OPT=${none}\``, "none"),
    jit("JIT tier tcc", "", "tcc", "`YKTS_TIER=tcc`, every pass", "tier"),
    jit("JIT tier auto", "", "auto", "`YKTS_TIER=auto` (tcc first, then clang's code), every pass", "tier"),
  ];
}

/** lua5.4 (the checksum reference, first) and one engine per configuration. */
export function ablationEngines(repoRoot: string, configs: AblationConfig[]): Engine[] {
  const all = engines(repoRoot);
  const find = (name: string) => {
    const e = all.find((x) => x.name === name);
    if (!e) throw new Error(`bench: no engine ${name} in src/bench/engines.ts`);
    return e;
  };
  const plain = find("minilua");
  const jit = find(JIT_ENGINE);
  return [find(REFERENCE_ENGINE), ...configs.map((c) => ({ ...(c.jit ? jit : plain), name: c.name, env: { ...(c.jit ? jit.env : plain.env), ...c.env } }))];
}

export interface ConfigSummary {
  name: string;
  /** Geometric mean of the median times over the complete benchmarks (s). */
  time: number;
  /** Geometric means of the per-benchmark ratios to the all-passes JIT and to the baseline. */
  vsAll: number;
  vsBaseline: number;
}

export interface Summary {
  /** Benchmarks every configuration ran with lua5.4's checksum: the means are over these alone. */
  complete: string[];
  configs: ConfigSummary[];
}

const ratio = (r: BenchResult, a: string, b: string): number | null => {
  const ta = medianTime(r, a);
  const tb = medianTime(r, b);
  return ta !== null && tb !== null ? ta / tb : null;
};

/** Geometric means per configuration, over the benchmarks that every configuration completed. */
export function summarise(results: BenchResult[], names: string[], all = ALL_PASSES, baseline = BASELINE): Summary {
  const complete = results.filter((r) => names.every((e) => medianTime(r, e) !== null));
  return {
    complete: complete.map((r) => r.bench),
    configs: complete.length === 0 ? [] : names.map((name) => ({
      name,
      time: geomean(complete.map((r) => medianTime(r, name)!)),
      vsAll: geomean(complete.map((r) => ratio(r, name, all)!)),
      vsBaseline: geomean(complete.map((r) => ratio(r, name, baseline)!)),
    })),
  };
}

const fmtTime = (s: number | null) => (s === null ? "–" : s.toFixed(3));
const fmtRatio = (x: number | null) => (x === null ? "–" : `${x.toFixed(2)}×`);
const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
const rule = (n: number) => `| --- |${" ---: |".repeat(n - 1)}`;

/** The Markdown tables: summary, times, ratios to the all-passes JIT, ratios to the baseline. */
export function renderAblationTables(results: BenchResult[], configs: AblationConfig[], reference = REFERENCE_ENGINE): string {
  const names = configs.map((c) => c.name);
  const s = summarise(results, names);
  const byName = new Map(s.configs.map((c) => [c.name, c]));
  const out: string[] = [];
  out.push(`### Geometric means (${s.complete.length} benchmarks)`, "");
  out.push("| configuration | how | geometric mean (s) | vs " + ALL_PASSES + " | vs " + BASELINE + " |", "| --- | --- | ---: | ---: | ---: |");
  for (const c of configs) {
    const m = byName.get(c.name);
    out.push(row([c.name, c.what, fmtTime(m?.time ?? null), fmtRatio(m?.vsAll ?? null), fmtRatio(m?.vsBaseline ?? null)]));
  }
  const gmRow = (f: (r: BenchResult, name: string) => number | null, cols: string[]) => {
    const done = results.filter((r) => s.complete.includes(r.bench));
    return done.length ? row([`**geometric mean** (${done.length})`, ...cols.map((n) => fmtRatio(geomean(done.map((r) => f(r, n)!))))]) : null;
  };

  out.push("", "### Median time per benchmark (s)", "");
  out.push(row(["benchmark", `${reference} (s)`, ...names.map((n) => `${n} (s)`), "checksum"]), rule(names.length + 2) + " --- |");
  for (const r of results) {
    const check = r.mismatches.size ? [...r.mismatches].map(([e, why]) => `**${e}: ${why}**`).join("; ") : "same";
    out.push(row([r.bench, fmtTime(medianTime(r, reference)), ...names.map((n) => fmtTime(medianTime(r, n))), check]));
  }
  const done = results.filter((r) => s.complete.includes(r.bench));
  if (done.length) out.push(row([`**geometric mean** (${done.length})`, "", ...names.map((n) => fmtTime(byName.get(n)!.time)), ""]));

  for (const [title, base] of [[`Time relative to ${ALL_PASSES}`, ALL_PASSES], [`Time relative to ${BASELINE}`, BASELINE]] as const) {
    const cols = names.filter((n) => n !== base);
    out.push("", `### ${title} (below 1 is faster)`, "");
    out.push(row(["benchmark", ...cols]), rule(cols.length + 1));
    for (const r of results) out.push(row([r.bench, ...cols.map((n) => fmtRatio(ratio(r, n, base)))]));
    const g = gmRow((r, n) => ratio(r, n, base), cols);
    if (g) out.push(g);
  }
  return out.join("\n");
}

const COLORS: Record<AblationConfig["kind"], string> = {
  baseline: "#9e9e9e",
  all: "#2b5797",
  "pass-off": "#6fa0d8",
  none: "#8e6cc0",
  tier: "#e08a2c",
};

/** The chart: geometric-mean ratio to the baseline per configuration, and per benchmark as a grid. */
export function ablationChart(results: BenchResult[], configs: AblationConfig[], subtitle: string): BarChart {
  const s = summarise(results, configs.map((c) => c.name));
  const byName = new Map(s.configs.map((c) => [c.name, c]));
  const jitConfigs = configs.filter((c) => c.jit);
  return {
    title: "ykts ablation: minilua+JIT with each trace optimisation pass off, and the tiers",
    subtitle,
    xLabel: `time relative to ${BASELINE}, geometric mean over ${s.complete.length} benchmarks (lower is faster)`,
    yLabel: "configuration",
    bars: configs.filter((c) => byName.has(c.name)).map((c) => ({ label: c.name, value: byName.get(c.name)!.vsBaseline, color: COLORS[c.kind],
      ...(c.kind === "pass-off" || c.kind === "none" || c.kind === "tier" ? { note: `(${byName.get(c.name)!.vsAll.toFixed(2)}× vs all passes)` } : {}) })),
    reference: { value: 1, label: `${BASELINE} = 1.00×` },
    grid: {
      title: `Per benchmark: time relative to ${BASELINE} (green faster, red slower)`,
      rowLabels: results.map((r) => r.bench),
      colLabels: jitConfigs.map((c) => c.name),
      values: results.map((r) => jitConfigs.map((c) => ratio(r, c.name, BASELINE))),
    },
  };
}

export interface AblationOptions {
  benches: Benchmark[];
  runs: number;
  size: Size;
  env: Record<string, string>;
  /** The command line, for the results file. */
  command: string;
  /** The Markdown file; the SVG goes next to it with the extension .svg. */
  out: string;
}

/** Runs the ablation and writes both files; true when a configuration failed or printed a wrong checksum. */
export async function runAblation(o: AblationOptions): Promise<boolean> {
  const configs = ablationConfigs();
  const active = prepareEngines(ablationEngines(REPO_ROOT, configs));
  const missing = configs.filter((c) => !active.some((e) => e.name === c.name));
  if (missing.length) throw new Error(`bench: the ablation needs every configuration; missing: ${missing.map((c) => c.name).join(", ")}`);
  const loadBefore = loadAverage();
  const started = new Date().toISOString();
  const { results, bad } = await runInterleaved(o.benches, active, { runs: o.runs, size: o.size, env: o.env });
  const loadAfter = loadAverage();
  const svgPath = o.out.replace(/\.md$/, "") + ".svg";
  const tables = renderAblationTables(results, configs);
  const doc = [
    "# Ablation: trace optimisation passes and tiers",
    "",
    "Written by `npm run bench -- --ablation` (src/bench/ablation.ts); see bench/README.md.",
    `${ALL_PASSES} is build/demo/minilua (\`make CC="ykts cc"\`) with the JIT on; each \`JIT -name\` switches one`,
    "pass of src/opt/index.ts off, `JIT no passes` all of them; the tiers keep every pass. Every",
    `configuration's checksum is compared with ${REFERENCE_ENGINE}'s.`,
    "",
    `- date: ${started}`,
    `- machine: ${machine()}`,
    `- command: \`${o.command}\``,
    `- runs: ${o.runs} per configuration, interleaved; times are medians of wall-clock seconds`,
    `- size: ${o.size}`,
    `- load average (1, 5, 15 min) at start: ${loadBefore}; at end: ${loadAfter}`,
    "",
    `![ablation chart](${basename(svgPath)})`,
    "",
    tables,
    "",
  ].join("\n");
  const subtitle = `${o.benches.length} bench/lua programs, --size ${o.size}, ${o.runs} interleaved run${o.runs === 1 ? "" : "s"}, ${started.slice(0, 16).replace("T", " ")} UTC, ${machine()}`;
  mkdirSync(dirname(o.out), { recursive: true });
  writeFileSync(o.out, doc);
  writeFileSync(svgPath, barChartSvg(ablationChart(results, configs, subtitle)));
  console.log(tables);
  console.error(`bench: wrote ${relative(process.cwd(), o.out)} and ${relative(process.cwd(), svgPath)}`);
  return bad;
}
