// Retrofitting an interpreter nobody here wrote: PUC Lua 5.4 (Debian's
// source package) with a control point added to its instruction fetch
// (five lines, below), built by `ykts cc`. Its luaV_execute dispatches by
// computed goto, so the fetch is repeated at the end of every handler: the
// control point has about 80 call sites in one function. With every
// control point handing execution to the traced clone and back
// (YKTS_DEBUG_RESUME=1), and with recordings at the first repeat
// (YKTS_HOT_THRESHOLD=1), the output must be lua5.4's.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { luaSources } from "../llvm-import/helpers.js";

const REPO = new URL("../..", import.meta.url).pathname;
const YKTS = join(REPO, "bin/ykts.js");
const work = mkdtempSync(join(tmpdir(), "ykts-puc-"));
const lua = join(work, "src/lua");

/** The whole retrofit: one location for the whole interpreter, a control point in vmfetch. */
function addControlPoint(lvm: string): string {
  const fetch = "#define vmfetch()\t{ \\\n";
  const exec = "void luaV_execute (lua_State *L, CallInfo *ci) {\n";
  if (!lvm.includes(fetch) || !lvm.includes(exec)) throw new Error("lvm.c does not have the expected vmfetch/luaV_execute shape");
  return lvm
    .replace(fetch, `${fetch}  yk_mt_control_point(ykts_mt, &ykts_loc); \\\n`)
    .replace(exec, `#include "ykts.h"\nstatic YkMT *ykts_mt;\nstatic YkLocation ykts_loc;\n${exec}  if (!ykts_mt) { ykts_mt = yk_mt_new(NULL); ykts_loc = yk_location_new(); }\n`);
}

beforeAll(async () => {
  const src = join(await luaSources(), "src");
  cpSync(src, join(work, "src"), { recursive: true });
  const lvm = join(work, "src/lvm.c");
  writeFileSync(lvm, addControlPoint(readFileSync(lvm, "utf8")));
  const units = readdirSync(join(work, "src")).filter((f) => f.endsWith(".c") && f !== "luac.c");
  // Two compiles at a time (the machine has two cores).
  for (let i = 0; i < units.length; i += 2) {
    await Promise.all(units.slice(i, i + 2).map((u) =>
      execa("node", [YKTS, "cc", "-O2", "-DLUA_USE_LINUX", "-c", u], { cwd: join(work, "src") })));
  }
  const objs = units.map((u) => u.replace(/\.c$/, ".o"));
  await execa("node", [YKTS, "cc", "-O2", "-o", "lua", ...objs, "-lm", "-ldl"], { cwd: join(work, "src") });
}, 900_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const PROGRAMS = ["bench/lua/queens.lua", "bench/lua/richards.lua", "test/lua/prog_life.lua", "test/lua/str_patterns_classes.lua"];

async function run(cmd: string, file: string, env: Record<string, string> = {}) {
  const small = /-- bench-small: (\S+)/.exec(readFileSync(join(REPO, file), "utf8"))?.[1];
  const r = await execa(cmd, [join(REPO, file), ...(small ? [small] : [])], {
    cwd: join(REPO, file.startsWith("test/lua") ? "test/lua" : "bench/lua"), env: { ...env, YKTS_STATS: "1" }, reject: false, timeout: 300_000,
  });
  return { out: r.stdout, status: r.exitCode, err: String(r.stderr) };
}

describe("PUC Lua 5.4 retrofitted by ykts cc", () => {
  it("has a control point at every computed-goto dispatch of luaV_execute", async () => {
    const ll = join(work, "lvm.ll");
    await execa("/usr/lib/llvm-19/bin/clang", ["-O2", "-DLUA_USE_LINUX", "-D__YKTS__", `-I${join(REPO, "native")}`, "-S", "-emit-llvm", join(work, "src/lvm.c"), "-o", ll]);
    const sites = (readFileSync(ll, "utf8").match(/call void @__ykts_control_point/g) ?? []).length;
    expect(sites).toBeGreaterThan(40);
  });
  for (const p of PROGRAMS) {
    it(`${p}: same output as lua5.4 with the JIT off, in resume mode, at threshold 1, and with traces waited for`, async () => {
      const ref = await run("lua5.4", p);
      expect(ref.status).toBe(0);
      let entered = 0;
      for (const env of [{ YKTS_JIT: "off" }, { YKTS_DEBUG_RESUME: "1" }, { YKTS_HOT_THRESHOLD: "1" }, { YKTS_HOT_THRESHOLD: "5", YKTS_SYNC: "1" }]) {
        const r = await run(lua, p, env);
        expect({ env, out: r.out, status: r.status }).toEqual({ env, out: ref.out, status: 0 });
        if (env.YKTS_DEBUG_RESUME) expect(Number(/debug_resumes=(\d+)/.exec(r.err)?.[1] ?? 0)).toBeGreaterThan(100);
        if ("YKTS_SYNC" in env) entered = Number(/traces_entered=(\d+)/.exec(r.err)?.[1] ?? 0);
      }
      // Traces of PUC Lua's computed-goto loop run (each indirectbr guarded).
      if (p.includes("richards")) expect(entered).toBeGreaterThan(0);
    }, 600_000);
  }
});
