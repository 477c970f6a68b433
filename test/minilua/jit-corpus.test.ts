// The Lua corpus with minilua retrofitted by `ykts cc` (issue: retrofit at
// build time): built from a copy of its sources with `make CC="ykts cc"`,
// it must print exactly what lua5.4 printed, with the JIT's default
// settings, with a location hot at its first visit (YKTS_HOT_THRESHOLD=1:
// recordings everywhere), and with every control point handing execution
// to the traced clone through its resume entry and back (YKTS_DEBUG_RESUME).
// jitd compiles in the background, so short programs may end before their
// traces arrive; the last test waits for every compile (YKTS_SYNC=1) over the
// prog_/loop_/stmt_for/func_ programs: jitd must find every recording valid
// against the program's ykir, and the runtime install every trace it
// compiles, side traces included (YKTS_SIDETRACE_THRESHOLD=1 there and in
// one more suite). The benchmarks of bench/lua at their small sizes, with
// every compile waited for at threshold 1, print what lua5.4 prints.
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, test } from "vitest";
import { CORPUS_DIR, REPO_ROOT, defineCorpusSuite, listPrograms, readCorpusEnv } from "./corpus.js";

const work = mkdtempSync(join(tmpdir(), "ykts-jit-minilua-"));
const binary = join(work, "minilua");
let built: Promise<void> | null = null;

/** make CC="ykts cc" on a copy of interpreters/minilua (once for all suites). */
function build(): Promise<void> {
  built ??= (async () => {
    cpSync(join(REPO_ROOT, "interpreters/minilua/src"), join(work, "src"), { recursive: true });
    const r = await execa("make", [
      "-f", join(REPO_ROOT, "interpreters/minilua/Makefile"), "-j2",
      `CC=node ${join(REPO_ROOT, "bin/ykts.js")} cc`,
      `HERE=${work}/`, `CPPFLAGS=-I${join(REPO_ROOT, "native")} -I${join(work, "src")}`,
      `BUILD=${join(work, "build")}`, `BIN=${binary}`,
    ], { cwd: work, reject: false, all: true });
    if (r.exitCode !== 0) throw new Error(`make CC="ykts cc" of minilua failed (exit ${r.exitCode}):\n${r.all}`);
  })();
  return built;
}

afterAll(() => rmSync(work, { recursive: true, force: true }));

defineCorpusSuite({ binary, name: "minilua built by ykts cc (JIT defaults)", prognames: ["minilua"], setup: build });
defineCorpusSuite({ binary, name: "minilua built by ykts cc, YKTS_HOT_THRESHOLD=1", env: { YKTS_HOT_THRESHOLD: "1" }, prognames: ["minilua"], setup: build });
defineCorpusSuite({ binary, name: "minilua built by ykts cc, YKTS_HOT_THRESHOLD=2", env: { YKTS_HOT_THRESHOLD: "2" }, prognames: ["minilua"], setup: build });
defineCorpusSuite({ binary, name: "minilua built by ykts cc, YKTS_DEBUG_RESUME=1", env: { YKTS_DEBUG_RESUME: "1" }, prognames: ["minilua"], setup: build });
defineCorpusSuite({
  binary, name: "minilua built by ykts cc, YKTS_HOT_THRESHOLD=1 YKTS_SIDETRACE_THRESHOLD=1",
  env: { YKTS_HOT_THRESHOLD: "1", YKTS_SIDETRACE_THRESHOLD: "1" }, prognames: ["minilua"], setup: build,
});

// The tiers (docs/traces.md §7): every trace compiled by tcc, side traces
// included; and tcc first with clang's object swapped in. (Waiting for
// every compile, YKTS_SYNC=1, of all 181 programs at threshold 1 takes
// jitd ~70 ms a trace, 200 traces for some programs: too long here.)
defineCorpusSuite({
  binary, name: "minilua built by ykts cc, YKTS_TIER=tcc YKTS_HOT_THRESHOLD=1 YKTS_SIDETRACE_THRESHOLD=1",
  env: { YKTS_TIER: "tcc", YKTS_HOT_THRESHOLD: "1", YKTS_SIDETRACE_THRESHOLD: "1" }, prognames: ["minilua"], setup: build,
});
defineCorpusSuite({
  binary, name: "minilua built by ykts cc, YKTS_TIER=auto YKTS_HOT_THRESHOLD=2",
  env: { YKTS_TIER: "auto", YKTS_HOT_THRESHOLD: "2" }, prognames: ["minilua"], setup: build,
});

describe("recordings of minilua's dispatch loop", () => {
  test("are made at YKTS_HOT_THRESHOLD=1, jitd finds every one valid and compiles most, the runtime installs every trace and side trace", async () => {
    await build();
    let valid = 0, compiled = 0, installed = 0, sideCompiled = 0, sideInstalled = 0;
    const problems: string[] = [];
    for (const program of listPrograms(/^(prog_|loop_|stmt_for|func_)/)) {
      const r = await execa(binary, [`${program}.lua`], {
        cwd: CORPUS_DIR, extendEnv: false, reject: false, stdin: "ignore", timeout: 60_000,
        env: { ...readCorpusEnv(), YKTS_HOT_THRESHOLD: "1", YKTS_SIDETRACE_THRESHOLD: "1", YKTS_SYNC: "1", YKTS_LOG: "1", YKTS_VERIFY: "each" },
      });
      for (const line of String(r.stderr).split("\n")) {
        if (line.startsWith("ykts: recorded ")) {
          if (line.includes("-> compiled: ")) { valid++; compiled++; }
          else if (line.includes("-> not compiled: recording valid;")) valid++;
          else if (!/-> aborted: [a-z-]+/.test(line)) problems.push(`${program}: ${line}`);
        } else if (line.startsWith("ykts: side-recorded ")) {
          // A side recording is checked by the trace builder as it replays it.
          if (line.includes("-> compiled: ")) sideCompiled++;
          else if (!/-> (aborted: [a-z-]+|not compiled: recording valid; (trace aborted|trace too big))/.test(line)) problems.push(`${program}: ${line}`);
        } else if (line.includes("side trace installed:")) {
          sideInstalled++;
        } else if (line.includes("trace installed:")) {
          installed++;
        } else if (/trace not installed|internal error|does not verify/.test(line)) {
          problems.push(`${program}: ${line}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(valid).toBeGreaterThan(20);
    // Most valid recordings become traces that the runtime installs.
    expect(compiled).toBeGreaterThan(valid / 2);
    expect(installed).toBe(compiled);
    // Guards that fail become side traces (YKTS_SIDETRACE_THRESHOLD=1), all installed.
    expect(sideCompiled).toBeGreaterThan(10);
    expect(sideInstalled).toBe(sideCompiled);
  }, 900_000);
});

describe("faults while traces run", () => {
  test("jitd killed after its second answer: output as lua5.4's, traces keep running, the JIT turns off with one line", async () => {
    await build();
    const prog = join(REPO_ROOT, "bench/lua/fannkuch.lua");
    const want = await execa("lua5.4", [prog, "7"]);
    const r = await execa(binary, [prog, "7"], {
      extendEnv: false, reject: false, stdin: "ignore", timeout: 120_000,
      env: { ...readCorpusEnv(), YKTS_SYNC: "1", YKTS_LOG: "1", YKTS_STATS: "1", YKTS_JITD_DIE_AFTER: "2" },
    });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(want.stdout);
    const err = String(r.stderr);
    expect(err.match(/^ykts: jit off: jitd was killed by signal 9$/gm)).toHaveLength(1);
    const stat = (k: string) => Number(new RegExp(`^ykts-stats: ${k}=(\\d+)$`, "m").exec(err)?.[1] ?? NaN);
    expect(stat("traces_installed") + stat("side_traces_installed")).toBe(2);
    // Entered after jitd died: the trace at the location that got hot first keeps running.
    expect(stat("traces_entered")).toBeGreaterThan(100);
  }, 180_000);
});

// Each benchmark compiles tens of traces here (json ~100): side traces, hand-over
// traces and retracing all run. A recording started while traces handed
// over to a retired location's trace read values the traces had not stored
// (deltablue printed "projection 2 failed").
describe("bench/lua at small sizes, YKTS_SYNC=1 YKTS_HOT_THRESHOLD=1", () => {
  const dir = join(REPO_ROOT, "bench/lua");
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".lua")).sort()) {
    test(f, async () => {
      await build();
      const prog = join(dir, f);
      const size = /^-- bench-small: (\S+)$/m.exec(readFileSync(prog, "utf8"))![1]!;
      const want = await execa("lua5.4", [prog, size], { stdin: "ignore" });
      const r = await execa(binary, [prog, size], {
        extendEnv: false, reject: false, stdin: "ignore", timeout: 300_000,
        env: { ...readCorpusEnv(), YKTS_SYNC: "1", YKTS_HOT_THRESHOLD: "1", YKTS_STATS: "1" },
      });
      expect(r.stderr).not.toMatch(/fatal|ykts: jit off/);
      expect(r.stdout).toBe(want.stdout);
      expect(r.exitCode).toBe(0);
    }, 300_000);
  }
});
