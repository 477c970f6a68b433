// The interleaved runs shared by `npm run bench` and its ablation mode: every
// engine's output is compared with lua5.4's, and a different one or a failed
// run marks the result bad. Stand-in engines (sh printing a fixed line) keep
// it fast.
import { describe, expect, test } from "vitest";
import type { Engine } from "../../src/bench/engines.js";
import { runInterleaved, type Benchmark } from "../../src/bench/suite.js";

const sh = (name: string, script: string): Engine => ({ name, command: "sh", args: ["-c", script, "sh"], env: {}, unavailable: () => null });
const bench: Benchmark = { name: "fib", file: "fib.lua", small: "1", large: "1" };

describe("runInterleaved", () => {
  test("same output everywhere: not bad, every engine run `runs` times", async () => {
    const { results, bad } = await runInterleaved([bench], [sh("lua5.4", "echo 42"), sh("a", "echo 42"), sh("b", "echo 42")], { runs: 2, size: "small", env: { PATH: process.env.PATH ?? "" } });
    expect(bad).toBe(false);
    expect(results[0]!.mismatches.size).toBe(0);
    for (const e of ["lua5.4", "a", "b"]) expect(results[0]!.runs.get(e)).toHaveLength(2);
  });

  test("a different checksum or a failure under one engine is bad, and named", async () => {
    const { results, bad } = await runInterleaved([bench], [sh("lua5.4", "echo 42"), sh("a", "echo 41"), sh("b", "exit 3"), sh("c", "echo 42")], { runs: 2, size: "small", env: { PATH: process.env.PATH ?? "" } });
    expect(bad).toBe(true);
    const mm = results[0]!.mismatches;
    expect(mm.get("a")).toBe('checksum "41" ≠ "42"');
    expect(mm.get("b")).toMatch(/^exit 3/);
    expect(mm.has("c")).toBe(false);
    expect(results[0]!.runs.get("a")).toHaveLength(1); // not run again
  });

  test("no reference checksum: the others cannot pass", async () => {
    const { bad, results } = await runInterleaved([bench], [sh("lua5.4", "exit 1"), sh("a", "echo 42")], { runs: 1, size: "small", env: { PATH: process.env.PATH ?? "" } });
    expect(bad).toBe(true);
    expect(results[0]!.mismatches.get("a")).toBe("no lua5.4 checksum to compare with");
  });
});
