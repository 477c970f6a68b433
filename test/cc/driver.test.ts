// `ykts cc` as a build system sees it: compiling, linking (objects, archives,
// -l/-L), dependency files identical to clang's, clang's errors passed
// through, the driver's own errors, -E/-S passthrough, `ykts config`, and a
// Makefile that does nothing on a second run.
import { existsSync, readFileSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { beforeAll, describe, expect, test } from "vitest";
import { CLANG, REPO, ensureBuilt, run, scratch, ykcc } from "./helpers.js";

const OFF = { YKTS_INSTRUMENT: "off" };

beforeAll(() => ensureBuilt());

function project(): string {
  const d = scratch("ykts-cc-");
  mkdirSync(`${d}/inc`);
  writeFileSync(`${d}/inc/util.h`, "#pragma once\nint twice(int);\n#define BASE 40\n");
  writeFileSync(`${d}/util.c`, '#include "util.h"\nint twice(int x) { return 2 * x; }\n');
  writeFileSync(`${d}/main.c`,
    '#include <stdio.h>\n#include <math.h>\n#include "util.h"\n' +
    "int main(int argc, char **argv) {\n  (void)argv;\n" +
    '  printf("%d %.1f\\n", BASE + twice(argc), sqrt(16.0));\n  return 0;\n}\n');
  return d;
}

describe("compiling and linking", () => {
  test("-c -o, then a link with an archive, -L and -l", () => {
    const d = project();
    expect(ykcc(["-c", "-Iinc", "-O1", "-Wall", "-o", "util.o", "util.c"], { cwd: d, env: OFF }).status).toBe(0);
    expect(run("ar", ["rcs", "libutil.a", "util.o"], { cwd: d }).status).toBe(0);
    expect(ykcc(["-c", "-Iinc", "main.c"], { cwd: d, env: OFF }).status).toBe(0);
    expect(existsSync(`${d}/main.o`)).toBe(true);
    const link = ykcc(["main.o", "-L.", "-lutil", "-lm", "-o", "prog"], { cwd: d, env: OFF });
    expect(link.stderr).toBe("");
    expect(link.status).toBe(0);
    const r = run(`${d}/prog`, ["x"], { cwd: d });
    expect(r.stdout).toBe("44 4.0\n");
    // The runtime is linked in and exported (-rdynamic): its API symbols are dynamic.
    const syms = run("/usr/lib/llvm-19/bin/llvm-nm", ["-D", "--defined-only", `${d}/prog`]).stdout;
    expect(syms).toMatch(/ __ykts_cp_slow\n/);
    expect(syms).toMatch(/ yk_mt_new\n/);
  });

  test("compile and link in one command, several sources", () => {
    const d = project();
    const r = ykcc(["-Iinc", "-O2", "main.c", "util.c", "-lm", "-o", "prog"], { cwd: d, env: OFF });
    expect(r.status).toBe(0);
    expect(run(`${d}/prog`, []).stdout).toBe("42 4.0\n");
    expect(existsSync(`${d}/main.o`)).toBe(false); // temporaries stay out of the user's tree
  });

  test("-c with several sources writes one object per source in the current directory", () => {
    const d = project();
    expect(ykcc(["-c", "-Iinc", "main.c", "util.c"], { cwd: d, env: OFF }).status).toBe(0);
    expect(existsSync(`${d}/main.o`) && existsSync(`${d}/util.o`)).toBe(true);
  });

  test("-c with several sources and -o is refused like clang does", () => {
    const d = project();
    const r = ykcc(["-c", "-Iinc", "main.c", "util.c", "-o", "x.o"], { cwd: d, env: OFF });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("cannot specify -o when generating multiple output files");
  });
});

describe("errors", () => {
  test("clang's diagnostics and exit status pass through, no object is left", () => {
    const d = scratch();
    writeFileSync(`${d}/bad.c`, "int f(void) { return undeclared_thing; }\n");
    const r = ykcc(["-c", "bad.c", "-o", "bad.o"], { cwd: d, env: OFF });
    const plain = run(CLANG, ["-c", "bad.c", "-o", "plain.o"], { cwd: d });
    expect(r.status).toBe(plain.status);
    expect(r.stderr).toContain("bad.c:1:22: error: use of undeclared identifier 'undeclared_thing'");
    expect(r.stderr).not.toContain("ykts cc");
    expect(existsSync(`${d}/bad.o`)).toBe(false);
  });

  test("-shared is declined with a reason", () => {
    const d = project();
    const r = ykcc(["-shared", "-fPIC", "util.c", "-Iinc", "-o", "libu.so"], { cwd: d, env: OFF });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^ykts cc: error: -shared: ykts cc builds executables only/);
  });

  test("-flto is declined with a reason", () => {
    const d = project();
    const r = ykcc(["-flto", "-c", "util.c", "-Iinc"], { cwd: d, env: OFF });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^ykts cc: error: -flto: link-time optimisation is not supported/);
  });

  test("no input files", () => {
    const r = ykcc(["-O2"], { env: OFF });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("ykts cc: error: no input files\n");
  });

  test("what the instrumenter rejects is a clear error naming file and function, with the way out", () => {
    const d = project();
    writeFileSync(`${d}/once.c`, `#include <ykts.h>\nint once(YkMT *mt, YkLocation *l) { yk_mt_control_point(mt, l); return 1; }\n`);
    const r = ykcc(["-c", "once.c"], { cwd: d });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("ykts cc: once.c: function 'once'");
    expect(r.stderr).toContain("not inside a loop");
    expect(r.stderr).toContain("YKTS_INSTRUMENT=off");
    expect(existsSync(`${d}/once.o`)).toBe(false);
    // The same unit compiles when instrumentation is off.
    expect(ykcc(["-c", "once.c"], { cwd: d, env: OFF }).status).toBe(0);
  });
});

describe("passthrough", () => {
  test("-E preprocesses with the ykts configuration (__YKTS__ defined)", () => {
    const d = scratch();
    writeFileSync(`${d}/p.c`, "#include <ykts.h>\n#ifdef __YKTS__\nint ykts_yes;\n#endif\n");
    const r = ykcc(["-E", "p.c"], { cwd: d, env: OFF });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("int ykts_yes;");
    expect(r.stdout).toContain("__ykts_control_point");
  });

  test("-S writes assembly", () => {
    const d = project();
    const r = ykcc(["-S", "-Iinc", "util.c", "-o", "util.s"], { cwd: d, env: OFF });
    expect(r.status).toBe(0);
    expect(readFileSync(`${d}/util.s`, "utf8")).toMatch(/twice:/);
  });

  test("--version is clang's", () => {
    expect(ykcc(["--version"]).stdout).toMatch(/clang version 19/);
  });
});

describe("dependency files", () => {
  // What clang -c writes for each flag combination, compared byte for byte.
  const combos: string[][] = [
    ["-MD"], ["-MMD"], ["-MD", "-MP"], ["-MMD", "-MF", "deps/x.d"], ["-MD", "-MT", "custom target"],
    ["-MD", "-MQ", "$weird"], ["-MMD", "-MP", "-MT", "a", "-MT", "b"], ["-MD", "-MFjoined.d"],
  ];
  for (const flags of combos) {
    for (const withO of [true, false]) {
      test(`${flags.join(" ")}${withO ? " -o obj/m.o" : ""}`, async () => {
        const d = project();
        mkdirSync(`${d}/obj`);
        mkdirSync(`${d}/deps`);
        const out = withO ? ["-o", "obj/m.o"] : [];
        // The driver compiles at -O2 when the user gives no -O (so glibc's
        // headers see __OPTIMIZE__): the reference is clang doing the same.
        const common = ["-Iinc", "-D__YKTS__", "-I", `${REPO}/native`, "-O2"];
        // Reference: plain clang.
        const ref = run(CLANG, ["-c", ...common, ...flags, "main.c", ...out], { cwd: d });
        expect(ref.status).toBe(0);
        const depPath = (await import(`${REPO}/dist/cc/args.js`)) as typeof import("../../src/cc/args.js");
        const parsed = depPath.parseArgs(["-c", ...flags, "main.c", ...out]);
        const depFile = parsed.deps.mf ?? depPath.dependencyFileName("main.c", withO ? "obj/m.o" : null);
        const want = readFileSync(`${d}/${depFile}`, "utf8");
        run("rm", ["-f", `${d}/${depFile}`]);
        // The IR step of the driver, with the dependency flags it computes.
        const irFlags = depPath.depFlagsFor(parsed.deps, "main.c", withO ? "obj/m.o" : null);
        const ir = run(CLANG, [...common, "-S", "-emit-llvm", ...irFlags, "main.c", "-o", `${d}/tmp-xyz.ll`], { cwd: d });
        expect(ir.status).toBe(0);
        expect(readFileSync(`${d}/${depFile}`, "utf8")).toBe(want);
        // And the driver end to end.
        run("rm", ["-f", `${d}/${depFile}`]);
        expect(ykcc(["-c", "-Iinc", ...flags, "main.c", ...out], { cwd: d, env: OFF }).status).toBe(0);
        expect(readFileSync(`${d}/${depFile}`, "utf8")).toBe(want);
      });
    }
  }
});

describe("make", () => {
  test("a second make does nothing", () => {
    const d = project();
    writeFileSync(`${d}/Makefile`,
      "CFLAGS = -O2 -Iinc -MMD -MP\nprog: main.o util.o\n\t$(CC) $^ -lm -o $@\n-include main.d util.d\n");
    const cc = `${process.execPath} ${REPO}/dist/cc/main.js`;
    const first = run("make", [`CC=${cc}`], { cwd: d, env: OFF });
    expect(first.status).toBe(0);
    const t = statSync(`${d}/prog`).mtimeMs;
    expect(run("make", ["-q", `CC=${cc}`], { cwd: d, env: OFF }).status).toBe(0); // up to date
    const second = run("make", [`CC=${cc}`], { cwd: d, env: OFF });
    expect(second.stdout).toMatch(/is up to date/);
    expect(statSync(`${d}/prog`).mtimeMs).toBe(t);
    // Touching the header rebuilds (the .d files work).
    writeFileSync(`${d}/inc/util.h`, "#pragma once\nint twice(int);\n#define BASE 50\n");
    expect(run("make", ["-q", `CC=${cc}`], { cwd: d, env: OFF }).status).not.toBe(0);
    expect(run("make", [`CC=${cc}`], { cwd: d, env: OFF }).status).toBe(0);
    expect(run(`${d}/prog`, []).stdout).toBe("52 4.0\n");
  });
});

describe("ykts config", () => {
  test("--cflags and --libs give the header and the runtime", () => {
    const script = `import { Command } from "commander"; import { registerCcCommands } from "${REPO}/dist/cli/cc.js";
      const p = new Command(); registerCcCommands(p); await p.parseAsync(process.argv);`;
    const d = scratch();
    writeFileSync(`${d}/cfg.mjs`, script.replace('"commander"', `"${REPO}/node_modules/commander/index.js"`));
    const c = run(process.execPath, [`${d}/cfg.mjs`, "config", "--cflags"]);
    expect(c.stdout).toBe(`-D__YKTS__ -I${REPO}/native\n`);
    const l = run(process.execPath, [`${d}/cfg.mjs`, "config", "--ldflags", "--libs"]);
    const obj = /(\S+shim-[0-9a-f]+\.o)/.exec(l.stdout)?.[1];
    expect(obj && existsSync(obj)).toBe(true);
    expect(l.stdout).toMatch(/^-rdynamic \S+ -ldl -lpthread\n$/);
    // A plain clang build with those flags links and runs.
    writeFileSync(`${d}/p.c`, '#include <ykts.h>\n#include <stdio.h>\nint main(void){YkMT*mt=yk_mt_new(0);YkLocation l=yk_location_new();for(int i=0;i<5;i++)yk_mt_control_point(mt,&l);printf("%lu\\n",(unsigned long)l.state);return 0;}\n');
    const b = run("sh", ["-c", `${CLANG} ${c.stdout.trim()} p.c ${l.stdout.trim()} -o p`], { cwd: d });
    expect(b.stderr).toBe("");
    expect(run(`${d}/p`, []).stdout).toBe(`${(5 << 2) | 1}\n`);
  });
});
