// Round-trip of the C fixtures (test/fixtures/c) compiled by clang-19 at -O0,
// -O2, -O3, with -g, with -fexceptions (invoke/landingpad from cleanups) and
// with AVX-512 and fast-math, with ThinLTO summaries, with ASan+UBSan, and of the hand-written .ll fixture: parse, print,
// llvm-as, compare llvm-dis texts (and llvm-diff). Also serialise → load →
// print must give the same text as printing the parsed module.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { roundTripFile, mapLimit } from "../../src/llvm-import/roundtrip.js";
import { parseModule } from "../../src/llvm-import/parser.js";
import { printModule } from "../../src/ykir/printer.js";
import { serialiseModule, loadModule } from "../../src/ykir/serialise.js";
import { compileAll, JOBS } from "./helpers.js";

const C_DIR = new URL("../fixtures/c/", import.meta.url).pathname;
const HAND = new URL("../fixtures/ll/handwritten.ll", import.meta.url).pathname;
const LEVELS: [string, string[]][] = [["O0", ["-O0"]], ["O2", ["-O2"]], ["O3", ["-O3"]], ["O2g", ["-O2", "-g"]], ["O0g", ["-O0", "-g"]],
  ["O1eh", ["-O1", "-fexceptions"]], ["O2avx", ["-O2", "-march=skylake-avx512", "-ffast-math"]],
  ["O2lto", ["-O2", "-flto=thin"]], ["O1asan", ["-O1", "-fsanitize=address,undefined"]]];

let dir = "";
const lls: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "ykts-fixtures-"));
  const jobs = readdirSync(C_DIR).filter((f) => f.endsWith(".c")).flatMap((f) =>
    LEVELS.map(([tag, flags]) => ({ c: join(C_DIR, f), out: join(dir, `${f.replace(/\.c$/, "")}.${tag}.ll`), flags })));
  await compileAll(jobs);
  lls.push(...jobs.map((j) => j.out), HAND);
});
afterAll(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

describe("C fixtures round-trip", () => {
  it("every fixture at -O0/-O2/-O3/-g prints back to an identical module", async () => {
    expect(lls.length).toBeGreaterThanOrEqual(26);
    const results = await mapLimit(lls, JOBS, roundTripFile);
    const bad = results.filter((r) => !r.ok).map((r) => `${r.file}: ${r.summary}\n${r.details}`);
    expect(bad).toEqual([]);
  });

  it("debug records and x86_fp80/i128/half/vector/atomic instructions are really there", () => {
    const text = lls.map((f) => readFileSync(f, "latin1")).join("\n");
    for (const needle of ["#dbg_value(", "#dbg_declare(", "indirectbr", "blockaddress(", "cmpxchg", "atomicrmw",
      "fence", "shufflevector", "x86_fp80", "i128", "half", "thread_local", "@llvm.global_ctors", "alias", "asm sideeffect", "landingpad", "invoke", "<16 x i32>", "fast", "callbr", "i37", "ifunc", "bfloat", "fp128", "^0 = module:", "@__asan_"])
      expect(text, needle).toContain(needle);
  });

  it("serialise → load prints the same text as the parsed module", () => {
    for (const f of lls) {
      const m = parseModule(readFileSync(f, "latin1"), { file: f });
      const text = printModule(m);
      const loaded = loadModule(serialiseModule(m));
      expect(printModule(loaded), f).toBe(text);
    }
  });
});
