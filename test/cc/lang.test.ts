// Runs the self-describing C interpreters of test/c (format: test/c/README.md):
// each is built with `ykts cc` and with plain clang-19, both builds run with
// the test's environment, and the ykts build must print what the plain one
// prints and match the expectations in the test's header; it must also
// print the same with YKTS_JIT=off, with YKTS_DEBUG_RESUME=1 and with every
// location hot at once in each tier (YKTS_TIER=llvm, the default, tcc, auto).
import { readdirSync, readFileSync } from "node:fs";
import { beforeAll, describe, expect, test } from "vitest";
import { CLANG, REPO, ensureBuilt, run, scratch, ykcc } from "./helpers.js";
import { checkStats, matchOutput, parseHeader } from "./lang-format.js";

const DIR = `${REPO}/test/c`;
const files = readdirSync(DIR).filter((f) => f.endsWith(".c")).sort();

beforeAll(() => ensureBuilt());

describe("test/c", () => {
  test("there are language tests", () => expect(files.length).toBeGreaterThan(0));
  for (const f of files) {
    test(f, () => {
      const src = readFileSync(`${DIR}/${f}`, "utf8");
      const t = parseHeader(src, f);
      const d = scratch("ykts-lang-");
      const plain = run(CLANG, ["-O2", "-I", `${REPO}/native`, `${DIR}/${f}`, "-o", `${d}/plain`]);
      expect(plain.stderr, "plain clang build").toBe("");
      const built = ykcc(["-O2", `${DIR}/${f}`, "-o", `${d}/ykts`], { env: t.compilerEnv });
      expect(built.stderr, `ykts cc ${f}`).toBe("");
      expect(built.status).toBe(0);
      const base = run(`${d}/plain`, t.args, { env: t.env });
      const r = run(`${d}/ykts`, t.args, { env: t.env });
      expect(r.status, `exit status (stderr:\n${r.stderr})`).toBe(t.status);
      expect(base.status).toBe(t.status);
      expect(r.stdout).toBe(base.stdout);
      if (t.stdout) expect(matchOutput(t.stdout, r.stdout)).toBeNull();
      if (t.stderr) expect(matchOutput(t.stderr, r.stderr)).toBeNull();
      if (t.stats.length) expect(checkStats(t.stats, r.stderr)).toBeNull();
      // The same program with the JIT off, with every control point
      // resuming through the traced clone, and with every location hot at
      // once (traces compiled for everything, waited for) in each tier, must
      // print the same.
      const hot = { YKTS_HOT_THRESHOLD: "1", YKTS_SYNC: "1" };
      for (const extra of [{ YKTS_JIT: "off" }, { YKTS_DEBUG_RESUME: "1" }, hot, { ...hot, YKTS_TIER: "tcc" }, { ...hot, YKTS_TIER: "auto" }]) {
        const v = run(`${d}/ykts`, t.args, { env: { ...t.env, ...extra } });
        expect(v.status, `${JSON.stringify(extra)} exit status`).toBe(t.status);
        expect(v.stdout, JSON.stringify(extra)).toBe(base.stdout);
      }
    });
  }
});
