// The results table of `npm run bench`: medians, ratios, the geometric mean
// row and how failures and checksum mismatches are shown.
import { describe, expect, test } from "vitest";
import { geomean, median, renderTable, type BenchResult } from "../../src/bench/report.js";
import type { Measurement } from "../../src/bench/measure.js";

const m = (wallSeconds: number, peakRssKb: number | null = 2048): Measurement => ({
  wallSeconds,
  peakRssKb,
  checksum: "42",
  failure: null,
});

describe("bench report", () => {
  test("median and geometric mean", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(geomean([1, 4])).toBeCloseTo(2);
  });

  test("a table with ratios, RSS, a mismatch and the geometric mean", () => {
    const ok: BenchResult = {
      bench: "fib",
      runs: new Map([
        ["lua5.4", [m(1.0), m(3.0), m(2.0)]],
        ["minilua", [m(4.0, 4096), m(4.0, 8192), m(4.0)]],
      ]),
      mismatches: new Map(),
    };
    const bad: BenchResult = {
      bench: "sieve",
      runs: new Map([
        ["lua5.4", [m(1.0)]],
        ["minilua", [m(0.5)]],
      ]),
      mismatches: new Map([["minilua", 'checksum "1" ≠ "42"']]),
    };
    const table = renderTable([ok, bad], ["lua5.4", "minilua"], [["minilua", "lua5.4"], ["minilua", "luajit"]], ["minilua", "lua5.4"]);
    const lines = table.split("\n");
    expect(lines[0]).toBe("| benchmark | lua5.4 (s) | minilua (s) | minilua/lua5.4 | minilua RSS (MB) | lua5.4 RSS (MB) | checksum |");
    expect(lines[2]).toBe("| fib | 2.000 | 4.000 | 2.00× | 8.0 | 2.0 | same |");
    expect(lines[3]).toBe('| sieve | 1.000 | – | – | 2.0 | 2.0 | **minilua: checksum "1" ≠ "42"** |');
    // The mismatching benchmark is left out of the mean.
    expect(lines[4]).toBe("| **geometric mean** (1 benchmarks) | 2.000 | 4.000 | 2.00× |  |  |  |");
  });
});
