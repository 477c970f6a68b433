// The command-line model of `ykts cc` (src/cc/args.ts): which flags go to
// which step, modes, dependency-file names.
import { describe, expect, test } from "vitest";
import { ArgError, dependencyFileName, depFlagsFor, parseArgs } from "../../src/cc/args.js";

describe("parseArgs", () => {
  test("a compile: preprocessor, warning and codegen flags; -O kept aside", () => {
    const p = parseArgs(["-c", "-Iinc", "-D", "X=1", "-UY", "-Wall", "-std=c99", "-fno-strict-aliasing", "-march=native", "-g", "-O3", "a.c", "-o", "a.o"]);
    expect(p.mode).toBe("compile");
    expect(p.sources).toEqual(["a.c"]);
    expect(p.output).toBe("a.o");
    expect(p.optLevel).toBe("-O3");
    expect(p.compileFlags).toEqual(["-Iinc", "-D", "X=1", "-UY", "-Wall", "-std=c99", "-fno-strict-aliasing", "-march=native", "-g"]);
    expect(p.codegenFlags).toEqual(["-fno-strict-aliasing", "-march=native", "-g"]);
  });
  test("a link keeps objects, archives and libraries in order", () => {
    const p = parseArgs(["main.o", "-L", "lib", "-lfoo", "x.c", "libbar.a", "-Wl,--as-needed", "-lm", "-static", "-o", "prog"]);
    expect(p.mode).toBe("link");
    expect(p.linkItems).toEqual([
      { kind: "arg", value: "main.o" }, { kind: "arg", value: "-L" }, { kind: "arg", value: "lib" },
      { kind: "arg", value: "-lfoo" }, { kind: "source", index: 0 }, { kind: "arg", value: "libbar.a" },
      { kind: "arg", value: "-Wl,--as-needed" }, { kind: "arg", value: "-lm" },
    ]);
    expect(p.linkFlags).toContain("-static");
    expect(p.compileFlags).not.toContain("-static");
  });
  test("modes: -E, -M, -S, passthrough", () => {
    expect(parseArgs(["-E", "a.c"]).mode).toBe("preprocess");
    expect(parseArgs(["-MM", "a.c"]).mode).toBe("preprocess");
    expect(parseArgs(["-S", "a.c"]).mode).toBe("assemble-only");
    expect(parseArgs(["--version"]).mode).toBe("passthrough");
    expect(parseArgs(["-print-file-name=libc.so"]).mode).toBe("passthrough");
  });
  test("-x c makes any file a C source", () => {
    expect(parseArgs(["-c", "-x", "c", "weird.txt"]).sources).toEqual(["weird.txt"]);
    expect(() => parseArgs(["-c", "-x", "c++", "a.cc"])).toThrow(ArgError);
  });
  test("declined: -shared, -flto", () => {
    expect(parseArgs(["-shared", "a.c"]).declined).toMatch(/^-shared: /);
    expect(parseArgs(["-flto=thin", "-c", "a.c"]).declined).toMatch(/^-flto=thin: /);
  });
  test("errors: missing values, stdin, response files, no inputs", () => {
    expect(() => parseArgs(["-c", "a.c", "-o"])).toThrow(/missing argument to '-o'/);
    expect(() => parseArgs(["-c", "-"])).toThrow(/standard input/);
    expect(() => parseArgs(["@flags"])).toThrow(/response files/);
    expect(() => parseArgs(["-O2"])).toThrow(/no input files/);
  });
  test("dependency flags, joined and separate", () => {
    const p = parseArgs(["-c", "-MMD", "-MP", "-MFdeps/a.d", "-MT", "t1", "-MQt2", "a.c"]);
    expect(p.deps).toEqual({ md: false, mmd: true, mp: true, mf: "deps/a.d", targets: ["-MT", "t1", "-MQ", "t2"] });
  });
});

describe("dependency file names (clang's rules)", () => {
  test("from -o, else from the source's stem in the current directory", () => {
    expect(dependencyFileName("src/a.c", "obj/a.o")).toBe("obj/a.d");
    expect(dependencyFileName("src/a.c", "obj/prog")).toBe("obj/prog.d");
    expect(dependencyFileName("src/a.c", "obj.dir/prog")).toBe("obj.dir/prog.d");
    expect(dependencyFileName("src/a.c", null)).toBe("a.d");
  });
  test("the IR step gets an explicit -MF and a quoted default target", () => {
    const deps = parseArgs(["-c", "-MD", "src/a.c"]).deps;
    expect(depFlagsFor(deps, "src/a.c", null)).toEqual(["-MD", "-MF", "a.d", "-MQ", "a.o"]);
    expect(depFlagsFor(deps, "src/a.c", "o/a.o")).toEqual(["-MD", "-MF", "o/a.d", "-MQ", "o/a.o"]);
    expect(depFlagsFor(parseArgs(["-c", "a.c"]).deps, "a.c", null)).toEqual([]);
  });
});
