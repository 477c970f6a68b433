// The benchmarks of bench/lua at their small sizes: each runs under lua5.4
// and prints the same checksum under luajit (so the table's checksum column
// compares like with like). No timings are asserted here.
import { execa } from "execa";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

const BENCH_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../bench/lua");
const files = readdirSync(BENCH_DIR).filter((f) => f.endsWith(".lua")).sort();

async function checksum(engine: string, file: string, size: string): Promise<string> {
  const r = await execa(engine, [file, size], { cwd: BENCH_DIR, timeout: 60_000, stdin: "ignore" });
  return r.stdout.trim();
}

describe("bench/lua at small sizes", () => {
  test("there are the fourteen benchmarks", () => {
    expect(files.length).toBeGreaterThanOrEqual(14);
  });
  for (const f of files) {
    test(f, async () => {
      const m = /^-- bench-small: (\S+)$/m.exec(readFileSync(join(BENCH_DIR, f), "utf8"));
      expect(m, `${f} needs a "-- bench-small: N" line`).not.toBeNull();
      expect(readFileSync(join(BENCH_DIR, f), "utf8"), `${f} needs a "-- bench-large: N" line`).toMatch(/^-- bench-large: \d+$/m);
      const ref = await checksum("lua5.4", f, m![1]!);
      expect(ref).not.toBe("");
      expect(await checksum("luajit", f, m![1]!)).toBe(ref);
    });
  }
});
