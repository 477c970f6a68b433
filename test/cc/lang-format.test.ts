// The test/c header parser and the `...` output matcher.
import { describe, expect, test } from "vitest";
import { matchOutput, parseHeader } from "./lang-format.js";

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
      "int main(void) { return 3; }",
    ].join("\n"), "t.c");
    expect(t).toEqual({
      compilerEnv: { YKTS_INSTRUMENT: "off" }, env: { A: "1=2" }, args: ["x", "y"], status: 3,
      stdout: ["one", "..."], stderr: ["err"],
    });
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
