// Round-trip of real C nobody here wrote: every module of PUC Lua 5.4
// (Debian's lua5.4 source package, src/*.c including lua.c and luac.c) at
// -O0, -O2 and -O3; and serialise → load → print of each module.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { roundTripFile, mapLimit } from "../../src/llvm-import/roundtrip.js";
import { parseModule } from "../../src/llvm-import/parser.js";
import { printModule } from "../../src/ykir/printer.js";
import { serialiseModule, loadModule } from "../../src/ykir/serialise.js";
import { compileAll, luaSources, JOBS } from "./helpers.js";

let dir = "";
const byLevel = new Map<string, string[]>();

beforeAll(async () => {
  const lua = await luaSources();
  const src = join(lua, "src");
  dir = await mkdtemp(join(tmpdir(), "ykts-lua-"));
  const modules = readdirSync(src).filter((f) => f.endsWith(".c"));
  const jobs = ["O0", "O2", "O3"].flatMap((lvl) => modules.map((f) => {
    const out = join(dir, `${f.replace(/\.c$/, "")}.${lvl}.ll`);
    byLevel.set(lvl, [...(byLevel.get(lvl) ?? []), out]);
    return { c: join(src, f), out, flags: [`-${lvl}`, "-DLUA_USE_LINUX", `-I${src}`] };
  }));
  await compileAll(jobs);
});
afterAll(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

describe("PUC Lua 5.4 round-trip", () => {
  for (const lvl of ["O0", "O2", "O3"]) {
    it(`every module at -${lvl} prints back to an identical module`, async () => {
      const files = byLevel.get(lvl)!;
      expect(files.length).toBeGreaterThanOrEqual(30);
      const results = await mapLimit(files, JOBS, roundTripFile);
      expect(results.filter((r) => !r.ok).map((r) => `${r.file}: ${r.summary}\n${r.details}`)).toEqual([]);
    });
  }

  it("every -O2 module serialises and loads back to the same printed text", () => {
    for (const f of byLevel.get("O2")!) {
      const m = parseModule(readFileSync(f, "latin1"), { file: f });
      expect(printModule(loadModule(serialiseModule(m))), f).toBe(printModule(m));
    }
  });
});
