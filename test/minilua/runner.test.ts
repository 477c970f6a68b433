// Tests of the corpus runner itself: stderr normalisation, ENV parsing, and
// whole-corpus runs with lua5.4 (must pass) and luajit (must be caught).
import { expect, test } from "vitest";
import { listPrograms, normaliseStderr, readCorpusEnv, runCorpus } from "./corpus.js";

test("the progname prefix is stripped only at the start of the first line", () => {
  const names = ["../../interpreters/minilua/minilua", "minilua"];
  expect(normaliseStderr("minilua: x.lua:3: boom\nstack traceback:\n", names)).toBe("x.lua:3: boom");
  expect(normaliseStderr("../../interpreters/minilua/minilua: msg", names)).toBe("msg");
  expect(normaliseStderr("x.lua:1: minilua: not a prefix", names)).toBe("x.lua:1: minilua: not a prefix");
  expect(normaliseStderr("", names)).toBe("");
});

test("the corpus environment comes from test/lua/ENV", () => {
  const env = readCorpusEnv();
  expect(env.TZ).toBe("UTC");
  expect(env.MINILUA_TEST_VAR).toBe("hello from the corpus");
});

test("the corpus has at least 90 programs", () => {
  expect(listPrograms().length).toBeGreaterThanOrEqual(90);
});

test("the runner accepts lua5.4 itself on the whole corpus", async () => {
  const results = await runCorpus({ binary: "lua5.4", name: "lua5.4" });
  expect(results.filter((r) => !r.ok).map((r) => r.program)).toEqual([]);
  expect(results.length).toBe(listPrograms().length);
});

test("the runner reports a wrong stdout, stderr or status", async () => {
  // luajit differs from lua5.4 on 5.4-only features, so some programs must fail.
  const results = await runCorpus({ binary: "luajit", name: "luajit", filter: /^(num_bitwise|os_exit|err_error_msg)$/ });
  // err_error_msg: same message after the "luajit: " prefix; os_exit: same
  // status 3; num_bitwise: 5.4 operators are syntax errors in luajit.
  expect(Object.fromEntries(results.map((r) => [r.program, r.ok]))).toEqual({
    err_error_msg: true,
    num_bitwise: false,
    os_exit: true,
  });
});
