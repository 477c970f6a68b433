// The runtime (native/shim.c) without the instrumenter: api.c uses the
// ykts.h API in an uninstrumented translation unit (counting fallback);
// recording.c plays the instrumenter's part by hand (docs/retrofit-abi.md)
// so that recording, aborts, the jitd link and its failures can be checked.
// Both are built with `ykts cc` in YKTS_INSTRUMENT=off mode.
import { chmodSync, writeFileSync } from "node:fs";
import { beforeAll, describe, expect, test } from "vitest";
import { CLANG, REPO, ensureBuilt, run, scratch, ykcc } from "../cc/helpers.js";

let dir = "";
let api = "", rec = "";

beforeAll(() => {
  ensureBuilt();
  dir = scratch("ykts-rt-");
  for (const name of ["api", "recording"]) {
    const r = ykcc(["-O2", "-I", `${REPO}/native`, `${REPO}/test/native/${name}.c`, "-o", `${dir}/${name}`], { env: { YKTS_INSTRUMENT: "off" } });
    if (r.status !== 0) throw new Error(`building ${name}.c failed:\n${r.stderr}`);
  }
  api = `${dir}/api`;
  rec = `${dir}/recording`;
});

/** Parses the `ykts-stats: key=value` lines. */
function stats(stderr: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of stderr.matchAll(/^ykts-stats: ([a-z_]+)=(.*)$/gm)) out[m[1]!] = m[2]!;
  return out;
}

describe("counting (uninstrumented control point)", () => {
  test("counts in the location word below the threshold", () => {
    const r = run(api, ["150"]);
    expect(r.stdout).toBe(`state=${(150 << 2) | 1} tag=1 count=150 null=0\n`);
  });
  test("a hot uninstrumented location is disabled (reason 3) at the default threshold 200", () => {
    expect(run(api, ["200"]).stdout).toContain(`count=200 `);
    const r = run(api, ["201"], { env: { YKTS_LOG: "1", YKTS_STATS: "1" } });
    expect(r.stdout).toBe(`state=${(3 << 2) | 2} tag=2 count=3 null=0\n`);
    expect(r.stderr).toContain("ykts: loc=1 disabled: not-instrumented\n");
    expect(stats(r.stderr)).toMatchObject({ locations_hot: "1", locations_disabled: "1", jitd: "not-started", jit: "on" });
  });
  test("yk_mt_hot_threshold_set overrides the default; YKTS_HOT_THRESHOLD overrides both", () => {
    expect(run(api, ["60", "50"]).stdout).toContain("tag=2");
    expect(run(api, ["40", "50"]).stdout).toContain("count=40");
    expect(run(api, ["60", "50"], { env: { YKTS_HOT_THRESHOLD: "1000" } }).stdout).toContain("count=60");
    expect(run(api, ["30"], { env: { YKTS_HOT_THRESHOLD: "20" } }).stdout).toContain("tag=2");
  });
  test("YKTS_JIT=off: disabled as jit-off, nothing started", () => {
    const r = run(api, ["300"], { env: { YKTS_JIT: "off", YKTS_STATS: "1", YKTS_LOG: "1" } });
    expect(r.stdout).toContain(`state=${(2 << 2) | 2} `);
    expect(r.stderr).not.toContain("jitd started");
    expect(stats(r.stderr)).toMatchObject({ jit: "off (YKTS_JIT=off)", jitd: "not-started" });
  });
  test("yk_debug_str prints only with YKTS_LOG", () => {
    expect(run(api, ["1"]).stderr).toBe("");
    expect(run(api, ["1"], { env: { YKTS_LOG: "1" } }).stderr).toBe("ykts: debug: api test done\n");
  });
});

const HOT = { YKTS_HOT_THRESHOLD: "5", YKTS_LOG: "1", YKTS_STATS: "1", YKTS_SYNC: "1" };

describe("recording through a hand-instrumented function", () => {
  test("closed loops are sent to jitd and answered; a location that keeps failing is disabled", () => {
    const r = run(rec, ["plain", "20", "10"], { env: HOT });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("total=2800 state&3=2\n");
    const lines = r.stderr.split("\n").filter((l) => l.startsWith("ykts: recorded "));
    // Default YKTS_MAX_FAILURES is 5: five rejected recordings, then the location is off.
    expect(lines).toHaveLength(5);
    for (const l of lines) expect(l).toMatch(/^ykts: recorded loc=1 site=run#0 len=3 -> not compiled: .+/);
    expect(r.stderr).toContain("ykts: loc=1 disabled: failing\n");
    expect(r.stderr).toMatch(/ykts: jitd started: pid=\d+ /);
    expect(stats(r.stderr)).toMatchObject({
      recordings_started: "5", recordings_completed: "5", recordings_aborted: "0", answered_not_compiled: "5",
      traces_compiled: "0", traces_entered: "0", jit: "on",
    });
  });

  test("asynchronous mode: the interpreter does not wait; every sent recording is accounted for", () => {
    const r = run(rec, ["plain", "200", "2000"], { env: { YKTS_HOT_THRESHOLD: "5", YKTS_LOG: "1", YKTS_STATS: "1" } });
    expect(r.status).toBe(0);
    const lines = r.stderr.split("\n").filter((l) => l.startsWith("ykts: recorded "));
    const st = stats(r.stderr);
    expect(lines.length).toBe(Number(st.recordings_completed));
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toMatch(/-> (not compiled: .+|no answer before exit)$/);
  });

  test("promoted values travel with the recording", () => {
    const r = run(rec, ["promote", "20", "3"], { env: { ...HOT } });
    expect(r.status).toBe(0);
    // Recordings that start on an odd i pass the promote once.
    expect(r.stderr).toMatch(/ykts jitd: recording \d+ loc=1 site=run#0 len=3 promotes=1: /);
  });

  test("the base frame returning aborts with frame-left", () => {
    const r = run(rec, ["plain", "5", "3"], { env: HOT });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("ykts: recorded loc=1 site=run#0 len=1 -> aborted: frame-left\n");
    expect(stats(r.stderr)).toMatchObject({ recordings_aborted: "3", aborted_frame_left: "3", jitd: "not-started" });
  });

  test("too long: YKTS_MAX_TRACE_LEN", () => {
    const r = run(rec, ["plain", "20", "2"], { env: { ...HOT, YKTS_MAX_TRACE_LEN: "2" } });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("-> aborted: too-long\n");
    expect(stats(r.stderr).aborted_too_long).not.toBe("0");
  });

  test("a control point in a deeper frame aborts", () => {
    const r = run(rec, ["deeper", "20", "10"], { env: HOT });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("-> aborted: deeper-cp\n");
  });

  test("a longjmp out of the recording is detected at the next control point", () => {
    const r = run(rec, ["longjmp", "20", "10"], { env: HOT });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("-> aborted: longjmp\n");
    expect(stats(r.stderr).aborted_longjmp).toBe("1");
  });

  test("__ykts_clone_of maps originals through the ykts_fns section while recording, and to themselves otherwise", () => {
    expect(run(rec, ["cloneof", "0", "0"]).stdout).toBe("clone_of: ok\n");
  });

  test("YKTS_DEBUG_RESUME runs control points through the clone with the same results", () => {
    const r = run(rec, ["plain", "20", "3"], { env: { YKTS_DEBUG_RESUME: "1", YKTS_STATS: "1" } });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("total=840 state&3=1\n");
    expect(Number(stats(r.stderr).debug_resumes)).toBeGreaterThan(20);
  });

  test("YKTS_JIT=off: no recording, no jitd", () => {
    const r = run(rec, ["plain", "20", "3"], { env: { ...HOT, YKTS_JIT: "off" } });
    expect(r.status).toBe(0);
    expect(stats(r.stderr)).toMatchObject({ recordings_started: "0", jitd: "not-started" });
  });
});

describe("jitd failures turn the JIT off and the interpreter carries on", () => {
  const fake = (body: string) => {
    const d = scratch("ykts-fakejitd-");
    const p = `${d}/jitd.sh`;
    writeFileSync(p, `#!/bin/sh\n${body}\n`);
    chmodSync(p, 0o755);
    return p;
  };
  const check = (jitd: string, reason: RegExp, sync = true) => {
    const r = run(rec, ["plain", "20", "10"], { env: { ...HOT, YKTS_SYNC: sync ? "1" : "0", YKTS_JITD: jitd } });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^total=2800 /);
    const off = r.stderr.split("\n").filter((l) => l.startsWith("ykts: jit off: "));
    expect(off).toHaveLength(1);
    expect(off[0]).toMatch(reason);
    expect(stats(r.stderr).jit).toMatch(/^off \(/);
    return r;
  };
  test("jitd cannot be started", () => {
    check("/nonexistent/jitd", /^ykts: jit off: cannot start jitd \(\/nonexistent\/jitd\): No such file or directory$/);
  });
  test("jitd exits at once", () => {
    check(fake("exit 3"), /jitd (exited with status 3|is gone)/);
  });
  test("jitd is killed", () => {
    check(fake("kill -9 $$"), /jitd (was killed by signal 9|is gone|exited)/);
  });
  test("jitd answers garbage", () => {
    check(fake("printf 'garbage!!' >&4; sleep 2"), /jitd answered garbage/);
  });
  test("jitd answers with the wrong protocol version", () => {
    // A well-formed HELLO_ACK frame (length 5, type 0x81) with version 99.
    check(fake("printf '\\005\\000\\000\\000\\201\\143\\000\\000\\000' >&4; sleep 2"), /protocol version 99, expected 4/);
  });
  test("a node jitd script that does not exist", () => {
    check("/nonexistent/jitd.js", /jitd (exited with status 1|is gone|closed)/);
  });
});

describe("leaving a trace through __ykts_deopt", () => {
  test("the stackmap record of each deopt call gives back the live values", () => {
    const d = scratch("ykts-deopt-");
    const so = run(CLANG, ["-O2", "-fPIC", "-shared", "-Wno-override-module", `${REPO}/test/native/deopt-trace.ll`, "-o", `${d}/trace.so`]);
    expect(so.status).toBe(0);
    const b = ykcc(["-O2", "-I", `${REPO}/native`, `${REPO}/test/native/deopt.c`, "-o", `${d}/deopt`], { env: { YKTS_INSTRUMENT: "off" } });
    expect(b.stderr).toBe("");
    const r = run(`${d}/deopt`, [`${d}/trace.so`]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    // loop_trace(vars, 10) fails its guard with i = 10, sum 0..9 = 45, vars, 12345, -5;
    // mixed_trace(5, 10, -3): 15, 17, a constant-table value, a sign-extended byte,
    // and returns the handler's 1000 + 15 + 17.
    expect(r.stdout.replace(/ \d{8,} 12345/, " <ptr> 12345")).toBe(
      "records=2\n" +
      "loop: ret=1000 guard=7 values=5: 10 45 <ptr> 12345 -5\n" +
      "vars pointer matches\n" +
      "mixed: ret=1032 guard=9 values=4: 15 17 81985529216486895 -3\n");
  });
});
