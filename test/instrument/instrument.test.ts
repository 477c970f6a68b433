// The instrumentation step on real code: every module it produces must pass
// LLVM's verifier (llvm-as verifies), on C nobody here wrote (PUC Lua 5.4,
// whose lvm.c dispatches by computed goto) and on the project's C fixtures;
// the side table must describe control points; misuse must be a clear error.
import { beforeAll, afterAll, describe, expect, it } from "vitest";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { parseModule } from "../../src/llvm-import/parser.js";
import { compileCToIR, LLVM_BIN } from "../../src/llvm-import/driver.js";
import { mapLimit } from "../../src/llvm-import/roundtrip.js";
import { printModule } from "../../src/ykir/printer.js";
import { instrumentModule, InstrumentError } from "../../src/instrument/index.js";
import { decodePayload } from "../../src/instrument/side-table.js";
import { loadModule } from "../../src/ykir/serialise.js";
import { luaSources, JOBS } from "../llvm-import/helpers.js";

const NATIVE = new URL("../../native", import.meta.url).pathname;
let dir = "";
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), "ykts-instr-")); });
afterAll(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

/** Compiles C to IR, instruments it, and runs llvm-as on both output modules. */
async function instrumentAndVerify(c: string, flags: string[]): Promise<string | null> {
  const base = join(dir, c.replace(/[^A-Za-z0-9]/g, "_"));
  await compileCToIR(c, `${base}.ll`, ["-O2", "-D__YKTS__", `-I${NATIVE}`, ...flags]);
  let r;
  try {
    r = instrumentModule(parseModule(readFileSync(`${base}.ll`, "utf8"), { file: `${base}.ll` }), { file: c });
  } catch (e) {
    return `${c}: ${e instanceof Error ? e.message : String(e)}`;
  }
  for (const [suffix, mod] of [["orig", r.instrumented], ["clones", r.clones]] as const) {
    writeFileSync(`${base}.${suffix}.ll`, printModule(mod));
    const v = await execa(`${LLVM_BIN}/llvm-as`, [`${base}.${suffix}.ll`, "-o", "/dev/null"], { reject: false });
    if (v.exitCode !== 0) return `${c} (${suffix}): ${v.stderr.split("\n").slice(0, 4).join("\n")}`;
  }
  return null;
}

describe("instrumented modules pass LLVM's verifier", () => {
  it("every PUC Lua 5.4 module", async () => {
    const src = join(await luaSources(), "src");
    const files = readdirSync(src).filter((f) => f.endsWith(".c")).map((f) => join(src, f));
    expect(files.length).toBeGreaterThanOrEqual(30);
    const errors = await mapLimit(files, JOBS, (f) => instrumentAndVerify(f, ["-DLUA_USE_LINUX", `-I${src}`]));
    expect(errors.filter((e) => e !== null)).toEqual([]);
  }, 600_000);

  it("every C fixture and test/c program", async () => {
    const fixtures = new URL("../fixtures/c", import.meta.url).pathname;
    const lang = new URL("../c", import.meta.url).pathname;
    const files = [
      ...readdirSync(fixtures).filter((f) => f.endsWith(".c")).map((f) => join(fixtures, f)),
      ...readdirSync(lang).filter((f) => f.endsWith(".c")).map((f) => join(lang, f)),
    ];
    expect(files.length).toBeGreaterThan(5);
    const errors = await mapLimit(files, JOBS, (f) => instrumentAndVerify(f, []));
    expect(errors.filter((e) => e !== null)).toEqual([]);
  }, 600_000);
});

const VM = `
#include "ykts.h"
int run(YkMT *mt, YkLocation *locs, const int *prog) {
  int pc = 0, acc = 0;
  for (;;) {
    yk_mt_control_point(mt, &locs[pc]);
    switch (prog[pc]) {
    case 0: acc += prog[pc + 1]; pc += 2; break;
    case 1: if (acc < prog[pc + 1]) pc = 0; else pc += 2; break;
    default: return acc;
    }
  }
}
`;

describe("control points", () => {
  it("the side table describes the site with its live values, and the payload round-trips", async () => {
    const c = join(dir, "vm.c");
    writeFileSync(c, VM);
    await compileCToIR(c, `${c}.ll`, ["-O2", "-D__YKTS__", `-I${NATIVE}`]);
    const r = instrumentModule(parseModule(readFileSync(`${c}.ll`, "utf8"), { file: c }), { file: c });
    const run = r.side.functions.find((f) => f.name === "run")!;
    const cp = run.resume.filter((p) => p.kind === "cp");
    expect(cp.map((p) => p.id)).toEqual([1]);
    // mt, locs and prog are read after the control point; so are pc and acc.
    expect(cp[0]!.live).toEqual(expect.arrayContaining([{ arg: 0 }, { arg: 1 }, { arg: 2 }]));
    expect(cp[0]!.live.length).toBeGreaterThanOrEqual(5);
    expect(run.resume.some((p) => p.kind === "term")).toBe(true);
    expect(run.frame.length).toBeGreaterThanOrEqual(cp[0]!.live.length);
    const { ykir, side } = decodePayload(r.ykirBytes);
    expect(side).toEqual(r.side);
    // The payload's ykir is the module before instrumentation: no clones in it.
    const before = loadModule(ykir);
    expect(before.getFunction("run")).toBeDefined();
    expect(before.getFunction("run.ykts.t")).toBeUndefined();
    expect(r.clones.getFunction("run.ykts.t")).toBeDefined();
  });

  it("addresses derived from a changing live value are recomputed at their uses, not carried through the slow path", async () => {
    // %a and %b are the same gep of %st, hoisted next to it (as clang does
    // with many copies): only %st and %i are reloaded after the runtime;
    // each use of %a or %b gets its own gep of the reloaded %st.
    const ll = join(dir, "derived.ll");
    writeFileSync(ll, DERIVED_IR);
    const r = instrumentModule(parseModule(DERIVED_IR, { file: ll }), { file: ll });
    const text = printModule(r.instrumented);
    const run = text.slice(text.indexOf("define i64 @run("), text.indexOf("\n}\n", text.indexOf("define i64 @run(")));
    const reload = run.slice(run.indexOf("ykts.cp.reload0:"), run.indexOf("\n\n", run.indexOf("ykts.cp.reload0:")));
    expect(reload.match(/ store /g)).toHaveLength(2);
    expect(run).not.toMatch(/store ptr %a,|store ptr %b,/);
    // The slow path still hands %a and %b to the runtime: mt, loc, n, st, i, a, b.
    const side = r.side.functions.find((f) => f.name === "run")!;
    expect(side.resume.find((p) => p.kind === "cp")!.live).toHaveLength(7);
    writeFileSync(`${ll}.orig.ll`, text);
    const v = await execa(`${LLVM_BIN}/llvm-as`, [`${ll}.orig.ll`, "-o", "/dev/null"], { reject: false });
    expect(v.stderr).toBe("");
    expect(v.exitCode).toBe(0);
  });

  it("guard resume points do not carry address arithmetic: the clone's resume entry recomputes it, and the side table lists it", async () => {
    // %b (a gep of %st in its own block) is live at the terminator of head,
    // a guard's resume point: the point carries %st instead, and the
    // clone's resume entry recomputes %b from it.
    const ir = DERIVED_IR.replace("latch:\n  br label %head", "latch:\n  store i64 %i1, ptr %b, align 8\n  br label %head");
    const ll = join(dir, "derived-term.ll");
    writeFileSync(ll, ir);
    const r = instrumentModule(parseModule(ir, { file: ll }), { file: ll });
    const side = r.side.functions.find((f) => f.name === "run")!;
    const head = 1; // block index of %head
    const term = side.resume.find((p) => p.kind === "term" && p.at[0] === head)!;
    const bRef = { inst: [head, 3] }; // %b
    const stRef = { inst: [head, 0] }; // %st
    expect(term.live).toContainEqual(stRef);
    expect(term.live).not.toContainEqual(bRef);
    expect(side.derived).toContainEqual(bRef);
    expect(side.frame).toContainEqual(bRef); // it keeps its slot in the clone's frame
    // The control point still carries it (its live struct is the original's).
    expect(side.resume.find((p) => p.kind === "cp")!.live).toContainEqual(bRef);
    expect(decodePayload(r.ykirBytes).side).toEqual(r.side);
    expect(decodePayload(r.ykirBytes, { lazy: true }).side.functions.find((f) => f.name === "run")!.derived).toEqual(side.derived);
    const clones = printModule(r.clones);
    const entry = clones.slice(clones.indexOf("ykts.resume.derived:"), clones.indexOf("\n\n", clones.indexOf("ykts.resume.derived:")));
    expect(entry).toMatch(/getelementptr inbounds i8, ptr %\S+, i64 8/);
    writeFileSync(`${ll}.clones.ll`, clones);
    const v = await execa(`${LLVM_BIN}/llvm-as`, [`${ll}.clones.ll`, "-o", "/dev/null"], { reject: false });
    expect(v.stderr).toBe("");
  });

  it("a control point outside any loop is an error naming file and function", async () => {
    const c = join(dir, "noloop.c");
    writeFileSync(c, `#include "ykts.h"\nint once(YkMT *mt, YkLocation *l) { yk_mt_control_point(mt, l); return 1; }\n`);
    await compileCToIR(c, `${c}.ll`, ["-O2", "-D__YKTS__", `-I${NATIVE}`]);
    const m = parseModule(readFileSync(`${c}.ll`, "utf8"), { file: c });
    expect(() => instrumentModule(m, { file: c })).toThrow(InstrumentError);
    expect(() => instrumentModule(parseModule(readFileSync(`${c}.ll`, "utf8"), { file: c }), { file: c })).toThrow(/noloop\.c: function 'once'.*not inside a loop/);
  });
});

const DERIVED_IR = `
%struct.YkLocation = type { i64 }
declare void @__ykts_control_point(ptr, ptr)
define i64 @run(ptr %mt, ptr %loc, ptr %start, i64 %n) {
entry:
  br label %head
head:
  %st = phi ptr [ %start, %entry ], [ %next, %latch ]
  %i = phi i64 [ 0, %entry ], [ %i1, %latch ]
  %a = getelementptr inbounds i8, ptr %st, i64 8
  %b = getelementptr inbounds i8, ptr %st, i64 8
  call void @__ykts_control_point(ptr %mt, ptr %loc)
  %x = load i64, ptr %a, align 8
  %y = load i64, ptr %b, align 8
  %s = add i64 %x, %y
  store i64 %s, ptr %a, align 8
  %next = load ptr, ptr %st, align 8
  %i1 = add i64 %i, 1
  %c = icmp ult i64 %i1, %n
  br i1 %c, label %latch, label %done
latch:
  br label %head
done:
  ret i64 %s
}
`;

const PROMOTE_VM = `
#include "ykts.h"
YK_IDEMPOTENT static int fetch(const int *pc) { return *pc; }
YK_IDEMPOTENT static short half(const int *pc) { return (short)(*pc / 2); }
int run(YkMT *mt, YkLocation *locs, const int *prog) {
  const int *pc = prog;
  int acc = 0;
  for (;;) {
    yk_mt_control_point(mt, &locs[pc - prog]);
    pc = (const int *)yk_promote((void *)pc);
    int op = fetch(pc);
    switch (op) {
    case 0: acc += fetch(pc + 1) + half(pc + 1); pc += 2; break;
    case 1: if (acc < fetch(pc + 1)) pc = prog; else pc += 2; break;
    default: return yk_promote(acc);
    }
  }
}
`;

describe("promotion and idempotent functions", () => {
  it("originals lose their promotes and may inline idempotent functions; clones record idempotent results", async () => {
    const c = join(dir, "promote.c");
    writeFileSync(c, PROMOTE_VM);
    await compileCToIR(c, `${c}.ll`, ["-O2", "-D__YKTS__", `-I${NATIVE}`]);
    const r = instrumentModule(parseModule(readFileSync(`${c}.ll`, "utf8"), { file: c }), { file: c });
    const run = r.side.functions.find((f) => f.name === "run")!;
    // A before point at each promote call (two in run), and every idempotent call listed.
    const before = run.resume.filter((p) => p.kind === "before");
    expect(before).toHaveLength(2);
    expect(run.idempotent?.length).toBe(4);
    const orig = printModule(r.instrumented);
    const body = (text: string, name: string) => text.slice(text.indexOf(`@${name}(`), text.indexOf("\n}\n", text.indexOf(`@${name}(`)));
    expect(body(orig, "run")).not.toContain("__ykts_promote_");
    const fetch = r.instrumented.functions.find((f) => f.name?.startsWith("fetch.ykts.") && !f.isDeclaration)!;
    expect([...fetch.fnAttrs, ...fetch.attrGroups.flatMap((g) => g.attrs)].map((a) => a.kind)).not.toContain("noinline");
    // In the clone, each idempotent call's result goes through a promote
    // (short results widened to u32 and truncated back).
    const clone = body(printModule(r.clones), "run.ykts.t");
    expect(clone.match(/call i32 @__ykts_promote_i32\(i32 %\d+\)/g)?.length).toBe(3);
    expect(clone).toMatch(/zext i16 %\d+ to i32\n\s+%\d+ = call i32 @__ykts_promote_u32\(i32 %\d+\)\n\s+%\d+ = trunc i32 %\d+ to i16/);
    expect(clone.match(/call ptr @__ykts_promote_ptr\(/g)?.length).toBe(1);
    // Calls go to the callee's clone only while a recording runs.
    expect(clone).toMatch(/%(\d+) = load i8, ptr @__ykts_recording, align 1\n\s+%(\d+) = icmp ne i8 %\1, 0\n\s+%\d+ = select i1 %\2, ptr @\S+\.ykts\.t, ptr @/);
    for (const [suffix, mod] of [["orig", r.instrumented], ["clones", r.clones]] as const) {
      writeFileSync(`${c}.${suffix}.ll`, printModule(mod));
      const v = await execa(`${LLVM_BIN}/llvm-as`, [`${c}.${suffix}.ll`, "-o", "/dev/null"], { reject: false });
      expect(v.stderr).toBe("");
    }
  });
});
