// The ablation mode of `npm run bench`: one configuration per optimisation
// pass of src/opt (read from PASSES, so a new pass appears by itself), the
// environment each sets, geometric means over the benchmarks every
// configuration completed, the tables and the chart's data; and one real
// run at the smallest size on one benchmark.
import { execa } from "execa";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { dir } from "tmp-promise";
import { describe, expect, test } from "vitest";
import { PASSES } from "../../src/opt/index.js";
import { ALL_PASSES, BASELINE, ablationChart, ablationConfigs, ablationEngines, renderAblationTables, summarise } from "../../src/bench/ablation.js";
import type { BenchResult } from "../../src/bench/report.js";
import type { Measurement } from "../../src/bench/measure.js";

const m = (wallSeconds: number): Measurement => ({ wallSeconds, peakRssKb: null, checksum: "42", failure: null });

function result(bench: string, times: Record<string, number[]>, mismatches: Record<string, string> = {}): BenchResult {
  return { bench, runs: new Map(Object.entries(times).map(([k, v]) => [k, v.map(m)])), mismatches: new Map(Object.entries(mismatches)) };
}

describe("ablation configurations", () => {
  test("one entry per pass in PASSES that is on by default, each switching exactly that pass off", () => {
    const configs = ablationConfigs();
    const on = PASSES.filter((p) => !p.defaultOff);
    const off = configs.filter((c) => c.kind === "pass-off");
    expect(PASSES.length).toBeGreaterThan(0);
    expect(off.map((c) => c.env.YKTS_OPT)).toEqual(on.map((p) => `-${p.name}`));
    expect(off.map((c) => c.name)).toEqual(on.map((p) => `JIT -${p.name}`));
    const none = configs.find((c) => c.kind === "none")!;
    expect(none.env.YKTS_OPT!.split(",").sort()).toEqual(on.map((p) => `-${p.name}`).sort());
  });

  test("the list follows the passes it is given, and the fixed entries are there", () => {
    const configs = ablationConfigs(["a", "b", "c"]);
    expect(configs.map((c) => c.name)).toEqual([BASELINE, ALL_PASSES, "JIT -a", "JIT -b", "JIT -c", "JIT no passes", "JIT tier tcc", "JIT tier auto"]);
    expect(new Set(configs.map((c) => c.name)).size).toBe(configs.length);
    const byName = new Map(configs.map((c) => [c.name, c]));
    expect(byName.get(BASELINE)!.jit).toBe(false);
    expect(byName.get(ALL_PASSES)!.env).toEqual({ YKTS_OPT: "", YKTS_TIER: "" });
    expect(byName.get("JIT no passes")!.env.YKTS_OPT).toBe("-a,-b,-c");
    expect(byName.get("JIT tier tcc")!.env).toEqual({ YKTS_OPT: "", YKTS_TIER: "tcc" });
    expect(byName.get("JIT tier auto")!.env).toEqual({ YKTS_OPT: "", YKTS_TIER: "auto" });
  });

  test("engines: lua5.4 first, then plain minilua and the JIT binary with each configuration's environment", () => {
    const configs = ablationConfigs(["a"]);
    const es = ablationEngines("/repo", configs);
    expect(es.map((e) => e.name)).toEqual(["lua5.4", ...configs.map((c) => c.name)]);
    expect(es[1]!.command).toBe("/repo/interpreters/minilua/minilua");
    for (const e of es.slice(2)) expect(e.command).toBe("/repo/build/demo/minilua");
    expect(es.find((e) => e.name === "JIT -a")!.env.YKTS_OPT).toBe("-a");
  });
});

describe("ablation summary", () => {
  const names = [BASELINE, ALL_PASSES, "JIT -x"];
  const results = [
    result("a", { [BASELINE]: [2, 2, 9], [ALL_PASSES]: [1], "JIT -x": [4] }),
    result("b", { [BASELINE]: [8], [ALL_PASSES]: [2], "JIT -x": [2] }),
    // A wrong checksum under one configuration: left out of every mean.
    result("c", { [BASELINE]: [1], [ALL_PASSES]: [1], "JIT -x": [100] }, { "JIT -x": 'checksum "1" ≠ "42"' }),
  ];

  test("geometric means of medians and ratios, over the complete benchmarks only", () => {
    const s = summarise(results, names);
    expect(s.complete).toEqual(["a", "b"]);
    const by = new Map(s.configs.map((c) => [c.name, c]));
    expect(by.get(BASELINE)!.time).toBeCloseTo(4); // sqrt(2 * 8), a's median 2
    expect(by.get(ALL_PASSES)!.time).toBeCloseTo(Math.SQRT2);
    expect(by.get("JIT -x")!.time).toBeCloseTo(Math.sqrt(8));
    expect(by.get("JIT -x")!.vsAll).toBeCloseTo(2); // sqrt(4 * 1)
    expect(by.get(ALL_PASSES)!.vsBaseline).toBeCloseTo(Math.sqrt(0.5 * 0.25));
    expect(by.get(BASELINE)!.vsBaseline).toBeCloseTo(1);
    expect(by.get(ALL_PASSES)!.vsAll).toBeCloseTo(1);
  });

  test("no complete benchmark, no means", () => {
    expect(summarise([results[2]!], names).configs).toEqual([]);
  });

  test("tables show the mismatch and the means", () => {
    const configs = ablationConfigs(["x"]).filter((c) => names.includes(c.name));
    const md = renderAblationTables(results, configs);
    expect(md).toContain("### Geometric means (2 benchmarks)");
    expect(md).toMatch(/^\| JIT -x \| `YKTS_OPT=-x` \| 2\.828 \| 2\.00× \| 0\.71× \|$/m);
    expect(md).toMatch(/^\| c \| – \| 1\.000 \| 1\.000 \| – \| \*\*JIT -x: checksum "1" ≠ "42"\*\* \|$/m);
    expect(md).toMatch(/^\| a \| – \| 2\.000 \| 1\.000 \| 4\.000 \| same \|$/m);
  });

  test("chart data: a bar per configuration with its ratio to the baseline, a grid row per benchmark", () => {
    const configs = ablationConfigs(["x"]).filter((c) => names.includes(c.name));
    const c = ablationChart(results, configs, "sub");
    expect(c.bars.map((b) => b.label)).toEqual(names);
    expect(c.bars[2]!.value).toBeCloseTo(Math.sqrt(2 * 0.25));
    expect(c.bars[2]!.note).toBe("(2.00× vs all passes)");
    expect(c.grid!.rowLabels).toEqual(["a", "b", "c"]);
    expect(c.grid!.colLabels).toEqual([ALL_PASSES, "JIT -x"]);
    expect(c.grid!.values[2]).toEqual([1, null]);
  });
});

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Plain minilua (clang-19) and minilua by `ykts cc`, built into a directory of the test's own. */
async function buildBoth(out: string): Promise<{ plain: string; ykts: string }> {
  const makefile = join(ROOT, "interpreters/minilua/Makefile");
  const plain = join(out, "plain/minilua"), ykts = join(out, "ykts/minilua");
  for (const [cc, bin] of [["clang-19", plain], [`node ${join(ROOT, "bin/ykts.js")} cc`, ykts]] as const) {
    const r = await execa("make", ["-s", "-f", makefile, "-j2", `CC=${cc}`, `BUILD=${dirname(bin)}/obj`, `BIN=${bin}`], { cwd: ROOT, reject: false, all: true });
    expect(r.exitCode, `make CC="${cc}" of minilua: ${r.all}`).toBe(0);
  }
  return { plain, ykts };
}

test("--ablation writes the table and the chart, every configuration with lua5.4's checksum", async () => {
  const runner = join(ROOT, "dist/bench/run.js");
  expect(existsSync(runner), "dist/bench/run.js is missing: run `npm run build` first").toBe(true);
  const d = await dir({ unsafeCleanup: true });
  try {
    const bins = await buildBoth(d.path);
    const out = join(d.path, "abl.md");
    const r = await execa("node", [runner, "--ablation", "--runs", "1", "--size", "small", "--filter", "^fib$", "--out", out],
      { cwd: ROOT, reject: false, all: true, env: { YKTS_BENCH_MINILUA: bins.plain, YKTS_BENCH_YKTS: bins.ykts } });
    expect(r.exitCode, r.all).toBe(0);
    const md = readFileSync(out, "utf8");
    expect(md).toMatch(/^- load average \(1, 5, 15 min\) at start: [\d.]+ [\d.]+ [\d.]+; at end: /m);
    // lua5.4's time, then one per configuration, then the checksum column.
    expect(md).toMatch(new RegExp(`^\\| fib \\| (?:[\\d.]+ \\| ){${ablationConfigs().length + 1}}same \\|$`, "m"));
    expect(md).toContain("![ablation chart](abl.svg)");
    const svg = readFileSync(join(d.path, "abl.svg"), "utf8");
    expect((svg.match(/<rect class="bar"/g) ?? []).length).toBe(ablationConfigs().length);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
  } finally {
    await d.cleanup();
  }
}, 600_000);
