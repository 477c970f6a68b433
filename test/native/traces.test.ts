// Compiled traces in the runtime (docs/traces.md §4): installing the object
// a (fake) jitd answers with, entering it, leaving it through failed guards
// (deopt), and declining broken objects. No trace compiler is involved: the
// traces are written by hand in LLVM IR.
//
// - trace.c plays the instrumenter's part by hand (like recording.c), with
//   term and after resume points and an inlinable callee; trace-run.ll +
//   trace-run-meta.c are its trace (every frame value in the deopt bundles),
//   trace-run-lean.ll + trace-run-meta.c -DMETA_LEAN the same trace with
//   values from the live struct and constants in the table (deopt table v2),
//   its loop unrolled so that guards share slot lists. Its clones count how
//   often each resume point was entered, so the exact deopt paths are
//   checked; the program checks its results.
// - traced-loop.c is built by `ykts cc` with real instrumentation; the test
//   reads the program's side table and ykir to lay out the live struct and
//   the clone frames, fills in traced-loop.trace.ll and generates its deopt
//   table (bundle, live-struct and constant slots), so the real traced
//   clones and trampolines are resumed.
import { readFileSync, writeFileSync } from "node:fs";
import { beforeAll, describe, expect, test } from "vitest";
import { CLANG, REPO, ensureBuilt, run, scratch, ykcc } from "../cc/helpers.js";
import { readSection } from "../../src/jitd/elf.js";
import { decodeFrames } from "../../src/jitd/ykir-frames.js";
import { decodePayload } from "../../src/instrument/side-table.js";
import type { SideFunction, ValueRef } from "../../src/instrument/side-table.js";
import { loadModule } from "../../src/ykir/serialise.js";
import type { Function as YFunction, Type } from "../../src/ykir/index.js";

const FAKE_JITD = `${REPO}/test/native/fake-jitd.mjs`;
const NATIVE = `${REPO}/test/native`;

/** Parses the `ykts-stats: key=value` lines. */
function stats(stderr: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of stderr.matchAll(/^ykts-stats: ([a-z_]+)=(.*)$/gm)) out[m[1]!] = m[2]!;
  return out;
}

/** The environment of a run whose recordings the fake jitd answers as `answers` says. */
const jitEnv = (answers: unknown[], extra: Record<string, string> = {}) => ({
  YKTS_HOT_THRESHOLD: "5", YKTS_LOG: "1", YKTS_STATS: "1", YKTS_SYNC: "1", YKTS_JITD: FAKE_JITD,
  FAKE_JITD_ANSWERS: JSON.stringify(answers), ...extra,
});

function buildSo(dir: string, name: string, inputs: string[], defines: string[] = []): string {
  const out = `${dir}/${name}.so`;
  const r = run(CLANG, ["-O2", "-fPIC", "-shared", "-Wno-override-module", ...defines.map((d) => `-D${d}`), ...inputs, "-o", out]);
  if (r.status !== 0) throw new Error(`building ${name}.so failed:\n${r.stderr}`);
  return out;
}

describe("a hand-instrumented interpreter loop with a hand-written trace", () => {
  let dir = "", prog = "", so = "";
  beforeAll(() => {
    ensureBuilt();
    dir = scratch("ykts-traces-");
    const b = ykcc(["-O2", "-I", `${REPO}/native`, `${NATIVE}/trace.c`, "-o", `${dir}/trace`], { env: { YKTS_INSTRUMENT: "off" } });
    if (b.status !== 0) throw new Error(`building trace.c failed:\n${b.stderr}`);
    prog = `${dir}/trace`;
    so = buildSo(dir, "trace", [`${NATIVE}/trace-run.ll`, `${NATIVE}/trace-run-meta.c`]);
  });
  const resumed = (stdout: string) => stdout.split("\n")[1];

  test("installed, entered, and left through every guard: one frame and two (inlined callee)", () => {
    const plain = run(prog, ["plain", "200", "3", "7"]);
    expect(plain.status).toBe(0);
    expect(plain.stdout).toBe("total=1031988 want=1031988 lost=0 nested=0\nresumed: run@2=0 run@3=0 run@4=0 step@1=0\n");
    const r = run(prog, ["plain", "200", "3", "7"], { env: jitEnv([[so, "trace_run"]]) });
    expect(r.status).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe(plain.stdout.split("\n")[0]);
    expect(r.stderr).toContain(`ykts: recorded loc=1 site=run#0 len=6 -> compiled: ${so} trace_run\n`);
    expect(r.stderr).toMatch(/^ykts: loc=1 trace installed: trace_run \(3 guards, \d+ deopt calls\)$/m);
    // Guard 0 (i >= n) ends each call of run: the clone returns through the
    // live struct's ret slot. Guard 1 (i % 16 == 15) and guard 2 (inside the
    // inlined step) stop at the next control point; the original then runs
    // one iteration before the trace is entered again, so guard points right
    // after another one are not reached in the trace (i = 31, 80, ...). The
    // first call is traced from its 7th iteration on (threshold 5, recording).
    expect(resumed(r.stdout)).toBe("resumed: run@2=3 run@3=27 run@4=103 step@1=103");
    expect(stats(r.stderr)).toMatchObject({
      recordings_completed: "1", traces_compiled: "1", traces_installed: "1", traces_entered: "133", deopts: "133",
      locations_disabled: "0", jit: "on",
    });
  });

  test("slots from the live struct, constants and derived values (v2 table, shared slot lists): the same resumed values", () => {
    // Only i and acc travel in the bundles; mt, loc, n, k are read from the
    // live struct the trace was entered with, done, r and z are constants
    // wider than their one-byte fields, next is recomputed as i + 1. A wrong
    // value would change the totals (k, n, next, the constants), crash (mt,
    // loc) or the resume counts.
    const lean = buildSo(dir, "trace-lean", [`${NATIVE}/trace-run-lean.ll`, `${NATIVE}/trace-run-meta.c`], ["META_LEAN"]);
    for (const k of ["7", "-3"]) {
      const plain = run(prog, ["plain", "200", "3", k]);
      expect(plain.status).toBe(0);
      const r = run(prog, ["plain", "200", "3", k], { env: jitEnv([[lean, "trace_run"]]) });
      expect(r.status).toBe(0);
      expect(r.stdout.split("\n")[0]).toBe(plain.stdout.split("\n")[0]);
      expect(r.stderr).toMatch(/^ykts: loc=1 trace installed: trace_run \(6 guards, \d+ deopt calls\)$/m);
      expect(resumed(r.stdout)).toBe("resumed: run@2=3 run@3=27 run@4=103 step@1=103");
      expect(stats(r.stderr)).toMatchObject({ traces_installed: "1", traces_entered: "133", deopts: "133" });
    }
    // Nested control points while the trace runs, and a longjmp out of the
    // resume chain of a deopt, with the lean table.
    const nested = run(prog, ["nested", "200", "3", "7"], { env: jitEnv([[lean, "trace_run"]]) });
    expect(nested.status).toBe(0);
    expect(nested.stdout).toBe("total=1031988 want=1031988 lost=0 nested=6\nresumed: run@2=3 run@3=27 run@4=103 step@1=103\n");
    const lj = run(prog, ["longjmp-deopt", "200", "3", "7"], { env: jitEnv([[lean, "trace_run"]]) });
    expect(lj.status).toBe(0);
    expect(lj.stdout.split("\n")[0]).toBe("total=687992 want=687992 lost=1 nested=0");
  });

  test("a replaced deopt handler that calls the runtime's: the values as an array, the same results", () => {
    // The runtime's own handler stores each bundle value from its stackmap
    // location into the frame buffers; a replaced one gets them decoded
    // into an array and may pass them on. Both tables, both ways.
    const lean = buildSo(dir, "trace-lean-w", [`${NATIVE}/trace-run-lean.ll`, `${NATIVE}/trace-run-meta.c`], ["META_LEAN"]);
    for (const o of [so, lean]) {
      const r = run(prog, ["wrapped", "200", "3", "7"], { env: jitEnv([[o, "trace_run"]]) });
      expect(r.status).toBe(0);
      expect(r.stdout).toBe("total=1031988 want=1031988 lost=0 nested=0\nresumed: run@2=3 run@3=27 run@4=103 step@1=103\nwrapped: 133\n");
      expect(stats(r.stderr)).toMatchObject({ traces_installed: "1", deopts: "133" });
    }
  });

  test("YKTS_DEBUG_RESUME and installed traces together", () => {
    const r = run(prog, ["plain", "200", "3", "7"], { env: jitEnv([[so, "trace_run"]], { YKTS_DEBUG_RESUME: "1" }) });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^total=1031988 want=1031988 /);
    const st = stats(r.stderr);
    expect(st.traces_installed).toBe("1");
    expect(Number(st.deopts)).toBeGreaterThan(100);
  });

  test("a control point reached while the trace or its deopt runs enters no trace", () => {
    // hook(42) is called by the trace, hook(40) by the clone resumed after
    // guard 2: each runs run() on the same location, which must stay
    // interpreted (guard 0 then fires only for the three outer calls).
    const r = run(prog, ["nested", "200", "3", "7"], { env: jitEnv([[so, "trace_run"]]) });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("total=1031988 want=1031988 lost=0 nested=6\nresumed: run@2=3 run@3=27 run@4=103 step@1=103\n");
    expect(stats(r.stderr)).toMatchObject({ recordings_started: "1", traces_entered: "133", deopts: "133" });
  });

  test("a longjmp out of a running trace is detected at the next control point", () => {
    // The second call is left from hook(52), called by the trace; the third
    // is traced again (it leaves through guard 0, as the first did).
    const r = run(prog, ["longjmp", "200", "3", "7"], { env: jitEnv([[so, "trace_run"]]) });
    expect(r.status).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe("total=687992 want=687992 lost=1 nested=0");
    expect(resumed(r.stdout)).toMatch(/^resumed: run@2=2 /);
    const st = stats(r.stderr);
    expect(Number(st.traces_entered)).toBe(Number(st.deopts) + 1);
  });

  test("a longjmp out of a deopt's resume chain is detected at the next control point", () => {
    // rare() longjmps on its third call in the second call of run: from run's
    // clone resumed after guard 1.
    const r = run(prog, ["longjmp-deopt", "200", "3", "7"], { env: jitEnv([[so, "trace_run"]]) });
    expect(r.status).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe("total=687992 want=687992 lost=1 nested=0");
    expect(resumed(r.stdout)).toMatch(/^resumed: run@2=2 /);
    const st = stats(r.stderr);
    expect(st.traces_entered).toBe(st.deopts);
  });

  const broken: [string, string[] | null, string, RegExp][] = [
    ["bad magic", ["META_BAD_MAGIC"], "trace_run", /^bad deopt table: no YKTM magic$/],
    ["version 1", ["META_OLD_VERSION"], "trace_run", /^bad deopt table: version 1, this runtime reads 2$/],
    ["no S_meta", ["META_NONE"], "trace_run", /^no symbol trace_run_meta in \S+$/],
    ["unknown function", ["META_UNKNOWN_FN"], "trace_run", /^bad deopt table: guard 2 frame 1: no function 'nosuch' in the program$/],
    ["no trampoline", ["META_NO_CLONE"], "trace_run", /^bad deopt table: guard 2 frame 1: 'noclone' has no resume trampoline$/],
    ["another live size", ["META_WRONG_LIVE"], "trace_run", /^bad deopt table: for site run#0 \(live size 72\), the recording is at run#0 \(live size 64\)$/],
    ["truncated table", ["META_TRUNCATED"], "trace_run", /^bad deopt table: truncated at slot list 3$/],
    ["source-0 count unlike the stackmaps", ["META_WRONG_COUNT"], "trace_run", /^stackmaps: a deopt call of trace_run carries 10 values, no guard has that many$/],
    ["slot size 3", ["META_BAD_SIZE"], "trace_run", /^bad deopt table: slot list 0 slot 0: size 3 \(want 1, 2, 4 or 8\)$/],
    ["slot source 4", ["META_BAD_SOURCE"], "trace_run", /^bad deopt table: slot list 0 slot 6: source 4 \(want 0, 1, 2 or 3\)$/],
    ["source 3 of 4 bytes", ["META_DERIVED_SIZE"], "trace_run", /^bad deopt table: slot list 1 slot 7: source 3 with size 4 \(want 8\)$/],
    ["source 3 without its base", ["META_DERIVED_BASE"], "trace_run", /^bad deopt table: slot list 1 slot 7: source 3 from offset 40, where the list has no 8-byte slot of another source$/],
    ["reserved bytes", ["META_RESERVED"], "trace_run", /^bad deopt table: slot list 0 slot 2: reserved bytes 0x1 \(want 0\)$/],
    ["slot in the incoming slot", ["META_IN_INCOMING"], "trace_run", /^bad deopt table: slot list 0 slot 5: offset 8, inside the 16-byte incoming slot$/],
    ["live struct read past its end", ["META_LIVE_OUTSIDE"], "trace_run", /^bad deopt table: slot list 1 slot 0: 8 bytes at live struct offset 60, outside the 64-byte live struct's values$/],
    ["slot list index", ["META_BAD_LIST"], "trace_run", /^bad deopt table: guard 2 frame 1: slot list 4 \(the table has 4\)$/],
    ["slot past the buffer", ["META_OUTSIDE_BUFFER"], "trace_run", /^bad deopt table: guard 2 frame 1: slot list 3 slot 3: 8 bytes at offset 44, outside the 48-byte buffer$/],
    ["no such symbol", [], "trace_nope", /^no symbol trace_nope in \S+$/],
    ["dlopen fails", null, "trace_run", /^dlopen: .*: cannot open shared object file: No such file or directory$/],
  ];
  test.each(broken)("declined: %s", (name, defines, sym, reason) => {
    const path = defines === null ? `${dir}/nonexistent.so`
      : buildSo(dir, `broken-${name.replace(/\W+/g, "-")}`, [`${NATIVE}/trace-run.ll`, `${NATIVE}/trace-run-meta.c`], defines);
    const r = run(prog, ["plain", "200", "3", "7"], { env: jitEnv([[path, sym]]) });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("total=1031988 want=1031988 lost=0 nested=0\nresumed: run@2=0 run@3=0 run@4=0 step@1=0\n");
    const lines = r.stderr.split("\n").filter((l) => l.startsWith("ykts: loc=1 trace not installed: "));
    // Each declined answer counts a failure: after YKTS_MAX_FAILURES (5) the location is off.
    expect(lines).toHaveLength(5);
    for (const l of lines) expect(l.slice("ykts: loc=1 trace not installed: ".length)).toMatch(reason);
    expect(r.stderr).toContain("ykts: loc=1 disabled: failing\n");
    expect(stats(r.stderr)).toMatchObject({ traces_compiled: "5", traces_installed: "0", traces_entered: "0", deopts: "0", jit: "on" });
  });

  test("a declined object counts one failure; the next recording's object is installed", () => {
    const r = run(prog, ["plain", "200", "3", "7"], { env: jitEnv([[`${dir}/nonexistent.so`, "trace_run"], [so, "trace_run"]]) });
    expect(r.status).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe("total=1031988 want=1031988 lost=0 nested=0");
    expect(r.stderr.match(/trace not installed/g)).toHaveLength(1);
    expect(stats(r.stderr)).toMatchObject({ recordings_completed: "2", traces_compiled: "2", traces_installed: "1" });
    expect(Number(stats(r.stderr).deopts)).toBeGreaterThan(0);
  });
});

// ---- the program built by ykts cc

interface Layout { offsets: number[]; size: number }

/** Size and alignment on x86-64 of the scalar types live values have. */
function scalar(t: Type): [number, number] {
  if (t.kind === "ptr") return [8, 8];
  if (t.kind === "int") {
    const bits = (t as unknown as { bits: number }).bits;
    const n = bits <= 8 ? 1 : bits <= 16 ? 2 : bits <= 32 ? 4 : 8;
    return [n, n];
  }
  if (t.kind === "float") {
    const bits = (t as unknown as { bits: number }).bits;
    if (bits === 32 || bits === 64) return [bits / 8, bits / 8];
  }
  throw new Error(`no layout for live value type ${String(t)}`);
}

/** LLVM's literal struct layout of `{ [16 x i8], T0, T1, ... }`. */
function layout(types: Type[]): Layout {
  let off = 16, align = 1;
  const offsets: number[] = [];
  for (const t of types) {
    const [s, a] = scalar(t);
    off = Math.ceil(off / a) * a;
    offsets.push(off);
    off += s;
    align = Math.max(align, a);
  }
  return { offsets, size: Math.ceil(off / align) * align };
}

class MetaWriter {
  bytes: number[] = [];
  u8(v: number) { this.bytes.push(v & 255); }
  u16(v: number) { this.u8(v); this.u8(v >>> 8); }
  u32(v: number) { for (let k = 0; k < 4; k++) this.u8(v >>> (8 * k)); }
  u64(v: bigint) { for (let k = 0n; k < 8n; k++) this.u8(Number((v >> (8n * k)) & 255n)); }
  str(s: string) { const b = Buffer.from(s, "utf8"); this.u32(b.length); this.bytes.push(...b); }
}

/** A slot of a deopt table v2 (docs/traces.md §3). */
interface Slot { off: number; size: number; source: 0 | 1 | 2; payload: bigint }

describe("a program built by ykts cc (real clones and trampolines)", () => {
  let dir = "", prog = "";
  beforeAll(() => {
    ensureBuilt();
    dir = scratch("ykts-traced-loop-");
    const b = ykcc(["-O2", "-fno-discard-value-names", `${NATIVE}/traced-loop.c`, "-o", `${dir}/traced-loop`]);
    if (b.status !== 0) throw new Error(`building traced-loop.c failed:\n${b.stderr}`);
    prog = `${dir}/traced-loop`;
  });

  test("its trace deopts into the clones (base frame at a branch, an inlined callee) with the interpreter's results", () => {
    // The program's own description of run and step.
    const fns = new Map<string, { side: SideFunction; ir: YFunction }>();
    for (const f of decodeFrames(readSection(prog, ".ykts_ir")!)) {
      const { ykir, side } = decodePayload(f.payload);
      const m = loadModule(ykir);
      for (const s of side.functions) {
        const ir = m.functions.find((x) => x.name === s.name && !x.isDeclaration);
        if (ir && (s.name === "run" || s.name === "step")) fns.set(s.name, { side: s, ir });
      }
    }
    const fn = (name: string) => { const f = fns.get(name); if (!f) throw new Error(`no ykir for ${name}`); return f; };
    const key = (r: ValueRef) => JSON.stringify(r);
    /** The unique value of f whose name matches. */
    const val = (f: string, re: RegExp): ValueRef => {
      const { ir } = fn(f);
      const hits: ValueRef[] = [];
      ir.args.forEach((a, i) => { if (a.name && re.test(a.name)) hits.push({ arg: i }); });
      ir.blocks.forEach((b, bi) => b.instructions.forEach((x, ii) => { if (x.name && re.test(x.name)) hits.push({ inst: [bi, ii] }); }));
      if (hits.length !== 1) throw new Error(`${f}: ${hits.length} values named like ${re}`);
      return hits[0]!;
    };
    const typeOf = (f: string, r: ValueRef): Type => {
      const { ir } = fn(f);
      return "arg" in r ? ir.args[r.arg]!.type : ir.blocks[r.inst[0]]!.instructions[r.inst[1]]!.type;
    };
    const posOf = (r: ValueRef) => ("inst" in r ? r.inst : null);
    /** The resume point of f of this kind at the instruction `at` (a call), or whose live values include `uses`. */
    const point = (f: string, kind: string, pick: { at?: ValueRef; uses?: ValueRef }) => {
      const ps = fn(f).side.resume.filter((p) => p.kind === kind &&
        (pick.at === undefined || key({ inst: p.at }) === key(pick.at)) &&
        (pick.uses === undefined || p.live.some((l) => key(l) === key(pick.uses!))));
      if (ps.length !== 1) throw new Error(`${f}: ${ps.length} ${kind} points like ${JSON.stringify(pick)}`);
      return ps[0]!;
    };

    const R = {
      mt: val("run", /^mt$/), loc: val("run", /^loc$/), n: val("run", /^n$/), acc: val("run", /^acc\.0\d+$/),
      i: val("run", /^i\.0\d+$/), cmp1: val("run", /^cmp1$/), call: val("run", /^call$/), inc: val("run", /^inc$/),
      exit: val("run", /^exitcond/),
    };
    const S = { acc: val("step", /^acc$/), i: val("step", /^i$/), cmp: val("step", /^cmp$/) };

    // Site 0's live struct: the trace loads these five values from it.
    const site = fn("run").side.resume.find((p) => p.kind === "cp" && p.id === 1)!;
    const siteLayout = layout(site.live.map((r) => typeOf("run", r)));
    const want = [R.mt, R.loc, R.n, R.acc, R.i];
    expect(new Set(site.live.map(key))).toEqual(new Set(want.map(key)));
    const liveOff = (r: ValueRef) => siteLayout.offsets[site.live.findIndex((l) => key(l) === key(r))]!;

    // The guards' frames: [function, resume point, values]. A value is a
    // bundle value (in bundle order), one the trace only reads (from the
    // live struct) or a constant.
    type Src = ValueRef | { live: ValueRef } | { k: ValueRef; value: bigint };
    const refOf = (v: Src): ValueRef => ("live" in v ? v.live : "k" in v ? v.k : v);
    const frameOf = (f: string, p: { id: number; live: ValueRef[] }, values: Src[]) => {
      expect(new Set(values.map((v) => key(refOf(v)))), `${f} resume point ${p.id}: live values`).toEqual(new Set(p.live.map(key)));
      const frame = fn(f).side.frame;
      const lay = layout(frame.map((r) => typeOf(f, r)));
      return {
        name: f, id: p.id, size: Math.ceil(lay.size / 16) * 16,
        slots: values.map((v): Slot => {
          const r = refOf(v);
          const k = frame.findIndex((x) => key(x) === key(r));
          if (k < 0) throw new Error(`${f}: ${key(r)} is not in the clone's frame`);
          const at = { off: lay.offsets[k]!, size: scalar(typeOf(f, r))[0] };
          if ("live" in v) return { ...at, source: 1, payload: BigInt(liveOff(v.live)) };
          if ("k" in v) return { ...at, source: 2, payload: v.value };
          return { ...at, source: 0, payload: 0n };
        }),
      };
    };
    const callOfStep = point("run", "after", { at: { inst: posOf(R.call)! } });
    const live = (r: ValueRef) => ({ live: r });
    // An i1 whose guard failed is 1; the payload's upper bytes are not stored.
    const one = (r: ValueRef) => ({ k: r, value: 0xabcdef01n });
    const guards = [
      [frameOf("run", point("run", "term", { uses: R.cmp1 }), [live(R.mt), R.acc, live(R.loc), R.i, one(R.cmp1), live(R.n)])],
      [frameOf("run", callOfStep, [live(R.mt), live(R.loc), live(R.n), R.i]), frameOf("step", point("step", "term", { uses: S.cmp }), [S.acc, S.i, one(S.cmp)])],
      [frameOf("run", point("run", "term", { uses: R.exit }), [live(R.mt), live(R.loc), live(R.n), R.call, R.inc, one(R.exit)])],
    ];

    // Slot lists, shared by the frames with the same slots.
    const lists: Slot[][] = [];
    const listIndex = new Map<string, number>();
    const listOf = (slots: Slot[]) => {
      const k = JSON.stringify(slots, (_, v) => (typeof v === "bigint" ? v.toString() : v));
      if (!listIndex.has(k)) { listIndex.set(k, lists.length); lists.push(slots); }
      return listIndex.get(k)!;
    };
    const frames = guards.map((fs) => fs.map((f) => ({ ...f, list: listOf(f.slots) })));
    const w = new MetaWriter();
    w.bytes.push(...Buffer.from("YKTM"));
    w.u32(2);
    w.u32(0);
    w.u32(siteLayout.size);
    w.str("run");
    w.u32(lists.length);
    for (const l of lists) {
      w.u32(l.length);
      for (const v of l) { w.u32(v.off); w.u8(v.size); w.u8(v.source); w.u16(0); w.u64(v.payload); }
    }
    w.u32(frames.length);
    for (const fs of frames) {
      w.u32(fs.length);
      for (const f of fs) {
        w.str(f.name);
        w.u32(f.id);
        w.u32(f.size);
        w.u32(f.list);
      }
    }
    let ll = readFileSync(`${NATIVE}/traced-loop.trace.ll`, "utf8");
    for (const [name, r] of Object.entries({ n: R.n, acc: R.acc, i: R.i })) ll = ll.replaceAll(`{{${name}}}`, String(liveOff(r)));
    expect(ll).not.toContain("{{");
    ll += `\n@trace_loop_meta = constant [${w.bytes.length} x i8] c"${w.bytes.map((b) => "\\" + b.toString(16).padStart(2, "0").toUpperCase()).join("")}"\n`;
    writeFileSync(`${dir}/trace.ll`, ll);
    const so = buildSo(dir, "trace", [`${dir}/trace.ll`]);

    const plain = run(prog, ["1000", "3"], { env: { YKTS_JIT: "off" } });
    expect(plain.status).toBe(0);
    expect(plain.stdout).toMatch(/^total=-?\d+ ticks=-?\d+ rare=[1-9]\d*\n$/);
    const r = run(prog, ["1000", "3"], { env: jitEnv([[so, "trace_loop"]]) });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(plain.stdout);
    expect(r.stderr).toMatch(/^ykts: recorded loc=1 site=run#0 len=\d+ -> compiled: \S+ trace_loop$/m);
    expect(r.stderr).toMatch(/^ykts: loc=1 trace installed: trace_loop \(3 guards, \d+ deopt calls\)$/m);
    const st = stats(r.stderr);
    expect(st).toMatchObject({ traces_installed: "1", jit: "on" });
    // Guard 2 ends each of the 3 calls and guard 0 fires at most 15 times per
    // call (i = 63, 127, ..., 959): more deopts than that went through
    // guard 1, the two-frame one.
    expect(Number(st.deopts)).toBeGreaterThan(3 + 3 * 15);
    expect(st.traces_entered).toBe(st.deopts);
  });
});

describe("a location dropped while its trace is compiled (dropped-loc.c, built by ykts cc)", () => {
  test("the answer finds it dropped: nothing is installed or written where it was, and the program goes on", () => {
    ensureBuilt();
    const dir = scratch("ykts-dropped-loc-");
    const b = ykcc(["-O2", `${NATIVE}/dropped-loc.c`, "-o", `${dir}/dropped-loc`]);
    if (b.status !== 0) throw new Error(`building dropped-loc.c failed:\n${b.stderr}`);
    // A's answer names an object that does not exist: were it taken for A,
    // the log would say that dlopen failed.
    const r = run(`${dir}/dropped-loc`, ["20", "100000000"], {
      env: { ...jitEnv([[`${dir}/nonexistent.so`, "trace_run"], "not compiled here"]), YKTS_SYNC: "0", FAKE_JITD_DEFER: "1" },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe("s1=190 s2>0=1 same-block=1 intact=1\n");
    expect(r.stderr).toMatch(/^ykts: recorded loc=1 site=run#0 len=\d+ -> compiled; the location was dropped meanwhile: not installed$/m);
    expect(r.stderr).toMatch(/^ykts: recorded loc=2 site=run#0 len=\d+ -> not compiled: not compiled here$/m);
    expect(r.stderr).not.toContain("dlopen");
    expect(stats(r.stderr)).toMatchObject({ recordings_completed: "2", answers_dropped: "1", traces_installed: "0", jit: "on" });
  });
});
