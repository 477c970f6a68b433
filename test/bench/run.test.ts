// `npm run bench` end to end at the smallest size on two benchmarks: the
// compiled runner (dist/, built by `npm test`'s pretest) writes a results
// file with the machine description and a table whose checksums agree.
import { execa } from "execa";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { file } from "tmp-promise";
import { expect, test } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

test("the bench runner writes a table for the engines it finds", async () => {
  const runner = join(ROOT, "dist/bench/run.js");
  expect(existsSync(runner), "dist/bench/run.js is missing: run `npm run build` first").toBe(true);
  const out = await file({ postfix: ".md" });
  try {
    const r = await execa("node", [runner, "--runs", "1", "--size", "small", "--filter", "^(fib|strings)$", "--out", out.path], {
      cwd: ROOT,
      reject: false,
      all: true,
    });
    expect(r.exitCode, r.all).toBe(0);
    const doc = readFileSync(out.path, "utf8");
    expect(doc).toMatch(/^- machine: \d+ CPUs \(nproc\), /m);
    expect(doc).toMatch(/^\| benchmark \| lua5\.4 \(s\) \| luajit \(s\) \|/m);
    expect(doc).toMatch(/^\| fib \| .* \| same \|$/m);
    expect(doc).toMatch(/^\| strings \| .* \| same \|$/m);
    expect(doc).toMatch(/^\| \*\*geometric mean\*\* \(2 benchmarks\)/m);
  } finally {
    await out.cleanup();
  }
});

test("the bench runner rejects a bad option with a message", async () => {
  const r = await execa("node", [join(ROOT, "dist/bench/run.js"), "--size", "huge"], { cwd: ROOT, reject: false, all: true });
  expect(r.exitCode).not.toBe(0);
  expect(r.all).toContain("--size must be small, default or large");
});
