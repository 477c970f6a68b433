// The test/c header parser and the `...` output matcher.
import { describe, expect, test } from "vitest";
import { checkStats, matchOutput, parseHeader } from "./lang-format.js";

describe("header", () => {
  test("sections, keys and output blocks", () => {
    const t = parseHeader([
      "// Prose about the test.",
      "// Compiler:",
      "//   env-var: YKTS_INSTRUMENT=off",
      "// Run-time:",
      "//   env-var: A=1=2",
      "//   args: x  y",
      "//   status: 3",
      "//   stdout:",
      "//     one",
      "//     ...",
      "//   stderr:",
      "//     err",
      "//   stats: traces_entered>=1 deopts==0",
      "int main(void) { return 3; }",
    ].join("\n"), "t.c");
    expect(t).toEqual({
      compilerEnv: { YKTS_INSTRUMENT: "off" }, env: { A: "1=2" }, args: ["x", "y"], status: 3,
      stdout: ["one", "..."], stderr: ["err"],
      stats: [{ key: "traces_entered", op: ">=", value: 1 }, { key: "deopts", op: "==", value: 0 }],
    });
  });
  test("stats conditions are checked against ykts-stats lines", () => {
    const conds = [{ key: "traces_entered", op: ">=", value: 1 }, { key: "deopts", op: "==", value: 0 }];
    expect(checkStats(conds, "ykts-stats: traces_entered=3\nykts-stats: deopts=0\n")).toBeNull();
    expect(checkStats(conds, "ykts-stats: traces_entered=0\nykts-stats: deopts=0\n")).toMatch(/traces_entered=0, expected >=1/);
    expect(checkStats(conds, "ykts-stats: deopts=0\n")).toMatch(/no ykts-stats line for traces_entered/);
    expect(() => parseHeader("// Run-time:\n//   stats: traces_entered=>1\n", "t.c")).toThrow(/stats condition/);
  });
  test("unknown keys are errors", () => {
    expect(() => parseHeader("// Run-time:\n//   colour: red\n", "t.c")).toThrow(/t.c: unknown header key colour/);
  });
});

describe("matching", () => {
  test("exact lines", () => {
    expect(matchOutput(["a", "b"], "a\nb\n")).toBeNull();
    expect(matchOutput(["a", "b"], "a\nc\n")).not.toBeNull();
    expect(matchOutput(["a"], "a\nb\n")).not.toBeNull();
  });
  test("... lines match any number of lines, including none", () => {
    expect(matchOutput(["...", "x", "..."], "x\n")).toBeNull();
    expect(matchOutput(["...", "x", "..."], "a\nb\nx\nc\n")).toBeNull();
    expect(matchOutput(["...", "x"], "x\ny\n")).not.toBeNull();
  });
  test("... inside a line matches text within the line only", () => {
    expect(matchOutput(["loc=... len=..."], "loc=1 len=30\n")).toBeNull();
    expect(matchOutput(["a...b"], "a\nb\n")).not.toBeNull();
    expect(matchOutput(["(x)...[y]"], "(x) and [y]\n")).toBeNull();
  });
});
