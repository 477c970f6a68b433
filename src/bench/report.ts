// Turns benchmark measurements into the Markdown results table: median wall
// time per engine, time ratios, peak RSS, checksum agreement, and a
// geometric-mean row.
import type { Measurement } from "./measure.js";

export interface BenchResult {
  bench: string;
  /** Measurements per engine name, one per run (failed runs included). */
  runs: Map<string, Measurement[]>;
  /** Engine names whose checksum differed from the reference or that failed. */
  mismatches: Map<string, string>;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function geomean(xs: number[]): number {
  return Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
}

/** Median wall time of an engine's successful runs, or null. */
export function medianTime(r: BenchResult, engine: string): number | null {
  if (r.mismatches.has(engine)) return null;
  const ok = (r.runs.get(engine) ?? []).filter((m) => m.failure === null);
  return ok.length ? median(ok.map((m) => m.wallSeconds)) : null;
}

function maxRss(r: BenchResult, engine: string): number | null {
  const v = (r.runs.get(engine) ?? []).map((m) => m.peakRssKb).filter((x): x is number => x !== null);
  return v.length ? Math.max(...v) : null;
}

const fmtTime = (s: number | null) => (s === null ? "–" : s.toFixed(3));
const fmtRatio = (x: number | null) => (x === null ? "–" : `${x.toFixed(2)}×`);
const fmtMb = (kb: number | null) => (kb === null ? "–" : (kb / 1024).toFixed(1));

export function renderTable(
  results: BenchResult[],
  engineNames: string[],
  ratios: Array<[string, string]>,
  rssEngines: string[],
): string {
  const activeRatios = ratios.filter(([a, b]) => engineNames.includes(a) && engineNames.includes(b));
  const activeRss = rssEngines.filter((e) => engineNames.includes(e));
  const header = [
    "benchmark",
    ...engineNames.map((e) => `${e} (s)`),
    ...activeRatios.map(([a, b]) => `${a}/${b}`),
    ...activeRss.map((e) => `${e} RSS (MB)`),
    "checksum",
  ];
  const lines = [`| ${header.join(" | ")} |`, `|${header.map((_, i) => (i === 0 ? " --- " : " ---: ")).join("|")}|`];
  const timeCols: number[][] = engineNames.map(() => []);
  const ratioCols: number[][] = activeRatios.map(() => []);
  for (const r of results) {
    const times = engineNames.map((e) => medianTime(r, e));
    times.forEach((t, i) => t !== null && timeCols[i]!.push(t));
    const rs = activeRatios.map(([a, b], i) => {
      const ta = medianTime(r, a);
      const tb = medianTime(r, b);
      const x = ta !== null && tb !== null ? ta / tb : null;
      if (x !== null) ratioCols[i]!.push(x);
      return x;
    });
    const check = r.mismatches.size
      ? [...r.mismatches].map(([e, why]) => `**${e}: ${why}**`).join("; ")
      : "same";
    lines.push(
      `| ${[
        r.bench,
        ...times.map(fmtTime),
        ...rs.map(fmtRatio),
        ...activeRss.map((e) => fmtMb(maxRss(r, e))),
        check,
      ].join(" | ")} |`,
    );
  }
  // The geometric mean only over benchmarks every column has, else the
  // columns would average different sets.
  const complete = results.filter((r) => engineNames.every((e) => medianTime(r, e) !== null));
  if (complete.length > 0) {
    const gm = engineNames.map((e) => geomean(complete.map((r) => medianTime(r, e)!)));
    const gr = activeRatios.map(([a, b]) => geomean(complete.map((r) => medianTime(r, a)! / medianTime(r, b)!)));
    lines.push(
      `| **geometric mean** (${complete.length} benchmarks) | ${[
        ...gm.map(fmtTime),
        ...gr.map(fmtRatio),
        ...activeRss.map(() => ""),
        "",
      ].join(" | ")} |`,
    );
  }
  return lines.join("\n");
}
