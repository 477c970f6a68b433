// jitd's parts that do not need the instrumenter: the `.ykts_ir` frame
// format, the ELF section reader, the control-flow views built from real
// ykir, and the server speaking the protocol on stdin/stdout.
import { spawn } from "node:child_process";
import { chmodSync, closeSync, existsSync, openSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import { beforeAll, describe, expect, test } from "vitest";
import { CLANG, REPO, ensureBuilt, run, scratch, ykcc } from "../cc/helpers.js";
import { decodeFrames, encodeFrame } from "../../src/jitd/ykir-frames.js";
import { readSection } from "../../src/jitd/elf.js";
import { buildCfgViews } from "../../src/jitd/cfg-view.js";
import { crossCheck, loadProgram } from "../../src/jitd/program.js";
import { decodePayload, decodeSideTable, encodePayload, encodeSideTable, type SideTable } from "../../src/instrument/side-table.js";
import { OBJCOPY } from "../../src/cc/toolchain.js";
import { parseModule } from "../../src/llvm-import/parser.js";
import {
  decodeMessage, encodeFunction, encodeHello, encodeRecording, encodeUpgradeRequest, MSG, PROTOCOL_VERSION, ProtocolError, splitFrames, type Message,
} from "../../src/jitd/protocol.js";
import { requestQueue } from "../../src/jitd/server.js";

beforeAll(() => ensureBuilt());

describe(".ykts_ir frames", () => {
  test("round trip, with padding between frames", () => {
    const a = encodeFrame(new Uint8Array([1, 2, 3]), 7);
    const b = encodeFrame(new Uint8Array([]), 1);
    const section = new Uint8Array([...a, 0, 0, 0, ...b]);
    const fr = decodeFrames(section);
    expect(fr.map((f) => [f.version, Array.from(f.payload)])).toEqual([[7, [1, 2, 3]], [1, []]]);
  });
  test("bad magic and truncation are errors with offsets", () => {
    expect(() => decodeFrames(new Uint8Array([...Buffer.from("NOPE"), ...new Uint8Array(12)]))).toThrow(/bad frame magic "NOPE" at offset 0/);
    const f = encodeFrame(new Uint8Array([9, 9, 9, 9]));
    expect(() => decodeFrames(f.subarray(0, f.length - 1))).toThrow(/claims 4 bytes, only 3 left/);
  });
});

describe("ELF section reader", () => {
  test("reads a named section of an object file and reports absence", () => {
    const d = scratch();
    writeFileSync(`${d}/s.c`, '__attribute__((section("ykts_test"), used)) static const char blob[] = "hello, section";\n');
    expect(run(CLANG, ["-c", "s.c", "-o", "s.o"], { cwd: d }).status).toBe(0);
    const bytes = readSection(`${d}/s.o`, "ykts_test");
    expect(Buffer.from(bytes!).toString("latin1")).toBe("hello, section\0");
    expect(readSection(`${d}/s.o`, ".nosuch")).toBeNull();
    expect(() => readSection(`${d}/s.c`, "x")).toThrow(/not an ELF file/);
  });
  test("an executable linked by ykts cc carries one frame per translation unit", () => {
    const d = scratch();
    writeFileSync(`${d}/a.c`, "int f(int x) { return x + 1; }\n");
    writeFileSync(`${d}/b.c`, "int f(int); int main(void) { return f(-1); }\n");
    const r = ykcc(["a.c", "b.c", "-o", "prog"], { cwd: d, env: { YKTS_INSTRUMENT: "off" } });
    expect(r.status).toBe(0);
    const frames = decodeFrames(readSection(`${d}/prog`, ".ykts_ir")!);
    expect(frames).toHaveLength(2);
    expect(frames.every((f) => f.payload.length > 0)).toBe(true);
  });
});

describe("control-flow views from ykir", () => {
  test("control-point sites, recorded calls and successors", () => {
    const d = scratch();
    writeFileSync(`${d}/v.c`, `#include <ykts.h>
#include <stdio.h>
int g(int x) { return x * 3; }
int interp(YkMT *mt, YkLocation *locs, const unsigned char *pc, int (*op)(int)) {
  int acc = 0;
  for (;;) {
    yk_mt_control_point(mt, &locs[0]);
    switch (*pc++) {
    case 0: return acc;
    case 1: acc = g(acc); break;
    case 2: acc = op(acc); yk_mt_control_point(mt, &locs[1]); break;
    default: printf("%d\\n", acc);
    }
  }
}
`);
    const ll = run(CLANG, ["-O2", "-S", "-emit-llvm", "-D__YKTS__", "-I", `${REPO}/native`, "v.c", "-o", "-"], { cwd: d });
    expect(ll.status).toBe(0);
    const views = buildCfgViews([parseModule(ll.stdout, { file: "v.ll" })]);
    const interp = views.get("interp")!;
    expect(interp.cpSites).toHaveLength(2);
    const calls = interp.blocks.flatMap((b) => b.calls.map((c) => c.callee));
    expect(calls).toContain(null); // op(acc)
    expect(calls).not.toContain("printf"); // declared only: records nothing
    expect(interp.blocks.some((b) => b.returns)).toBe(true);
    for (const b of interp.blocks) for (const s of b.succs) expect(s).toBeLessThan(interp.blocks.length);
    expect(views.has("printf")).toBe(false);
  });
});

describe("side table cross-check", () => {
  const views = new Map([["f", { name: "f", blocks: [{ succs: [], returns: true, calls: [] }, { succs: [], returns: true, calls: [] }], cpSites: [{ block: 1, instr: 3 }] }]]);
  const side = (resume: { id: number; kind: string; at: [number, number] }[], blocks = 2) =>
    [{ version: 1, source: "f.c", unit: "u", functions: [{ name: "f", blocks, resume }] }];
  test("agreement", () => {
    expect(crossCheck(views, side([{ id: 1, kind: "cp", at: [1, 3] }, { id: 2, kind: "term", at: [0, 0] }]))).toEqual([]);
  });
  test("disagreements are named", () => {
    expect(crossCheck(views, side([{ id: 1, kind: "cp", at: [1, 2] }]))).toEqual(["f: site 0 is resume point 1 at 1:2, ykir has it at 1:3"]);
    expect(crossCheck(views, side([], 2))).toEqual(["f: 0 control-point sites, ykir has 1"]);
    expect(crossCheck(views, side([{ id: 1, kind: "cp", at: [1, 3] }], 5))).toEqual(["f: 5 blocks, ykir has 2"]);
    expect(crossCheck(new Map(), side([]))).toEqual(["f: no such function in the ykir"]);
  });
});

describe("the binary side table", () => {
  const table: SideTable = {
    version: 1, source: "s.c", unit: "u1",
    functions: [
      { name: "f", blocks: 3, resume: [{ id: 1, kind: "cp", at: [1, 2], live: [{ arg: 0 }, { inst: [1, 0] }] }, { id: 2, kind: "after", at: [2, 4], live: [] }],
        frame: [{ arg: 0 }, { inst: [1, 0] }, { inst: [2, 3] }], idempotent: [[2, 1]], blockAddrs: [1, 2] },
      { name: "g", blocks: 1, resume: [{ id: 1, kind: "term", at: [0, 7], live: [{ arg: 1 }] }, { id: 2, kind: "before", at: [0, 1], live: [] }], frame: [] },
    ],
  };
  test("round trip, eager and lazy (absent fields stay absent)", () => {
    const bytes = encodeSideTable(table);
    expect(decodeSideTable(bytes)).toEqual(table);
    const lazy = decodeSideTable(bytes, { lazy: true });
    expect(lazy.functions.map((f) => f.name)).toEqual(["f", "g"]);
    expect(lazy.functions[1]!.idempotent).toBeUndefined();
    expect("idempotent" in lazy.functions[1]!).toBe(false); // decoded: not there
    expect(lazy).toEqual(table);
    expect(JSON.parse(JSON.stringify(decodeSideTable(bytes, { lazy: true })))).toEqual(table);
  });
  test("damage is an error naming what is missing", () => {
    const bytes = encodeSideTable(table);
    expect(() => decodeSideTable(bytes.subarray(0, bytes.length - 8))).toThrow(/side table: truncated \(g: /);
    const lazy = decodeSideTable(bytes.subarray(0, bytes.length - 8), { lazy: true });
    expect(lazy.functions[0]!.resume[0]!.live).toEqual([{ arg: 0 }, { inst: [1, 0] }]);
    expect(() => lazy.functions[1]!.frame).toThrow(/side table: truncated/);
    expect(() => decodeSideTable(new TextEncoder().encode("{\"version\":1}"))).toThrow(/missing YKST tag/);
  });
});

describe("loading a program's ykir", () => {
  const d = scratch();
  let exe = "";
  beforeAll(() => {
    writeFileSync(`${d}/p.c`, `#include <ykts.h>
__attribute__((noinline)) int g(int x) { return x * 3; }
__attribute__((noinline)) int interp(YkMT *mt, YkLocation *loc, int n) {
  int acc = 0;
  for (int i = 0; i < n; i++) { yk_mt_control_point(mt, loc); acc = g(acc) + i; }
  return acc;
}
int main(void) { YkMT *mt = yk_mt_new(0); YkLocation l = yk_location_new(); return interp(mt, &l, 10) > 0 ? 0 : 1; }
`);
    expect(ykcc(["p.c", "-o", "p"], { cwd: d }).status).toBe(0);
    exe = `${d}/p`;
  });

  test("bodies, side-table entries and views are decoded when first asked for", async () => {
    const reports: string[] = [];
    const p = await loadProgram(exe, { report: (l) => reports.push(l) });
    expect(p.note).toBe("1 module(s), 3 function(s)");
    expect(p.views!.size).toBe(3);
    const interp = p.owner.get("interp")!.getFunction("interp")!;
    expect(interp.isDeclaration).toBe(false);
    expect(Object.getOwnPropertyDescriptor(interp, "blocks")!.get).toBeDefined(); // not decoded yet
    const v = p.views!.get("interp")!;
    expect(v.cpSites).toHaveLength(1);
    expect(v.blocks.flatMap((b) => b.calls.map((c) => c.callee))).toContain("g");
    expect(Object.getOwnPropertyDescriptor(interp, "blocks")!.get).toBeUndefined();
    expect(p.views!.get("interp")).toBe(v);
    expect(p.views!.get("printf")).toBeUndefined();
    const side = p.sides[0]!.functions.find((f) => f.name === "interp")!;
    expect(side.resume.filter((r) => r.kind === "cp")[0]!.live.length).toBeGreaterThan(0);
    expect(reports).toEqual([]);
    expect(p.disagreements).toEqual([]);
  });

  test("a side table that disagrees with the ykir is reported when the function is first needed", async () => {
    // The same program with a side table claiming 99 blocks for interp.
    const frames = decodeFrames(readSection(exe, ".ykts_ir")!);
    const { ykir, side } = decodePayload(frames[0]!.payload);
    side.functions.find((f) => f.name === "interp")!.blocks = 99;
    writeFileSync(`${d}/bad.ykir`, encodeFrame(encodePayload(ykir, side), frames[0]!.version));
    expect(run(OBJCOPY, ["--update-section", `.ykts_ir=${d}/bad.ykir`, exe, `${d}/bad`]).status).toBe(0);
    const reports: string[] = [];
    const p = await loadProgram(`${d}/bad`, { report: (l) => reports.push(l) });
    expect(p.note).toBe("1 module(s), 3 function(s)");
    expect(reports).toEqual([]);
    p.views!.get("g");
    expect(reports).toEqual([]);
    const n = p.views!.get("interp")!.blocks.length;
    expect(reports).toEqual([`${d}/bad: side table disagrees with the ykir: interp: 99 blocks, ykir has ${n}`]);
    expect(p.disagreements).toEqual([`interp: 99 blocks, ykir has ${n}`]);
    p.views!.get("interp");
    expect(reports).toHaveLength(1); // once
  });

  test("a frame of another format version is refused with the reason", async () => {
    const frames = decodeFrames(readSection(exe, ".ykts_ir")!);
    writeFileSync(`${d}/old.ykir`, encodeFrame(frames[0]!.payload, frames[0]!.version - 1));
    expect(run(OBJCOPY, ["--update-section", `.ykts_ir=${d}/old.ykir`, exe, `${d}/old`]).status).toBe(0);
    const p = await loadProgram(`${d}/old`);
    expect(p.views).toBeNull();
    expect(p.note).toMatch(/frame 0 \(offset 16\) has ykir format version \d+, this jitd reads \d+ \(rebuild the program\)/);
  });
});

/** Runs jitd on stdin/stdout with the given request bytes; returns its answers and stderr.
 *  The hellos below give pid 0 so that jitd reads the exe path they name
 *  instead of /proc/<pid>/exe. */
function jitd(input: Buffer, env: Record<string, string> = {}): Promise<{ code: number | null; out: Buffer; err: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [`${REPO}/dist/jitd/main.js`], { env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    let err = "";
    p.stdout.on("data", (c: Buffer) => out.push(c));
    p.stderr.on("data", (c: Buffer) => (err += c.toString()));
    p.on("error", reject);
    p.on("close", (code) => resolve({ code, out: Buffer.concat(out), err }));
    p.stdin.end(input);
  });
}

describe("jitd server", () => {
  test("hello, function names, a recording: ack and a not-compiled answer", async () => {
    const exe = `${REPO}/dist/jitd/main.js`; // not an ELF file: jitd must say it cannot load ykir
    const input = Buffer.concat([
      encodeHello(0, true, exe),
      encodeFunction(0, "interp"),
      encodeRecording({ id: 7, loc: 1, startFn: 0, startSite: 0, endSite: 0, blocks: [[0, 2], [0, 1]], promotes: [{ kind: 1, bits: 42n }] }),
    ]);
    const r = await jitd(input, { YKTS_LOG: "1" });
    expect(r.code).toBe(0);
    const { frames, rest } = splitFrames(r.out);
    expect(rest.length).toBe(0);
    expect(frames.map((f) => f[0])).toEqual([MSG.HELLO_ACK, MSG.ANSWER]);
    expect(frames[0]!.readUInt32LE(1)).toBe(PROTOCOL_VERSION);
    const ans = frames[1]!;
    expect(ans.readUInt32LE(1)).toBe(7);
    expect(ans[5]).toBe(0); // not compiled
    const reason = ans.toString("utf8", 10, 10 + ans.readUInt32LE(6));
    expect(reason).toMatch(/^no ykir to check it against \(cannot load ykir from .*not an ELF file\)$/);
    expect(r.err).toContain("ykts jitd: recording 7 loc=1 site=interp#0 len=2 promotes=1: no ykir");
  });

  test("an upgrade request for a trace jitd cannot upgrade gets an UPGRADE that says why", async () => {
    // Every request gets exactly one UPGRADE: the runtime counts the answers it is owed.
    const r = await jitd(Buffer.concat([encodeHello(0, true, `${REPO}/dist/jitd/main.js`), encodeUpgradeRequest("__ykts_trace_1_9")]));
    expect(r.code).toBe(0);
    const { frames } = splitFrames(r.out);
    expect(frames.map((f) => f[0])).toEqual([MSG.HELLO_ACK, MSG.UPGRADE]);
    const up = frames[1]!;
    const n = up.readUInt32LE(1);
    expect(up.toString("utf8", 5, 5 + n)).toBe("__ykts_trace_1_9");
    expect(up[5 + n]).toBe(0); // no upgrade
    expect(up.toString("utf8", 10 + n, 10 + n + up.readUInt32LE(6 + n))).toBe("no fast-tier trace of that name can be upgraded");
  });

  test("the upgrade request decodes", () => {
    const f = splitFrames(encodeUpgradeRequest("S")).frames[0]!;
    expect(decodeMessage(f)).toEqual({ type: "upgrade-request", symbol: "S" });
  });

  test("protocol errors end jitd with status 2, and a message when logging is on", async () => {
    const log = { YKTS_LOG: "1" };
    const wrongVersion = await jitd(encodeHello(1, false, "/x", 99), log);
    expect(wrongVersion.code).toBe(2);
    expect(wrongVersion.err).toContain(`protocol error: protocol version 99, this jitd speaks ${PROTOCOL_VERSION}`);
    const beforeHello = await jitd(encodeFunction(0, "f"), log);
    expect(beforeHello.code).toBe(2);
    expect(beforeHello.err).toContain("function before hello");
    const garbage = await jitd(Buffer.from("\xff\xff\xff\xff\x01", "latin1"), log);
    expect(garbage.code).toBe(2);
    expect(garbage.err).toMatch(/bad frame length/);
    const unnamed = await jitd(Buffer.concat([encodeHello(1, false, "/x"), encodeRecording({ id: 1, loc: 1, startFn: 5, startSite: 0, endSite: 0, blocks: [] })]), log);
    expect(unnamed.err).toContain("function id 5 that was never named");
    // Without YKTS_LOG the interpreter's stderr is left alone.
    const quiet = await jitd(encodeHello(1, false, "/x", 99));
    expect(quiet.code).toBe(2);
    expect(quiet.err).toBe("");
  });

  test("validates against the ykir of a real executable", async () => {
    const d = scratch();
    writeFileSync(`${d}/v.c`, `#include <ykts.h>
int interp(YkMT *mt, YkLocation *loc, int n) {
  int acc = 0;
  for (int i = 0; i < n; i++) { yk_mt_control_point(mt, loc); acc += i; }
  return acc;
}
int main(void) { YkMT *mt = yk_mt_new(0); YkLocation l = yk_location_new(); return interp(mt, &l, 10) == 45 ? 0 : 1; }
`);
    expect(ykcc(["v.c", "-o", "v"], { cwd: d, env: { YKTS_INSTRUMENT: "off" } }).status).toBe(0);
    // A bogus path: block 99 does not exist in interp.
    const r = await jitd(Buffer.concat([
      encodeHello(0, true, `${d}/v`), encodeFunction(0, "interp"),
      encodeRecording({ id: 1, loc: 1, startFn: 0, startSite: 0, endSite: 0, blocks: [[0, 99]] }),
    ]), { YKTS_LOG: "1" });
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/1 module\(s\), 2 function\(s\)/);
    expect(r.err).toContain("invalid recording at entry 0: interp has no block 99");
  });

  test("YKTS_LOG_IR=aot prints the functions a recording passes through", async () => {
    const d = scratch();
    writeFileSync(`${d}/w.c`, "#include <ykts.h>\nint interp(YkMT *mt, YkLocation *loc) { for (;;) yk_mt_control_point(mt, loc); }\nint main(void) { return 0; }\n");
    expect(ykcc(["w.c", "-o", "w"], { cwd: d, env: { YKTS_INSTRUMENT: "off" } }).status).toBe(0);
    const r = await jitd(Buffer.concat([
      encodeHello(0, true, `${d}/w`), encodeFunction(0, "interp"),
      encodeRecording({ id: 1, loc: 1, startFn: 0, startSite: 0, endSite: 0, blocks: [[0, 1]] }),
    ]), { YKTS_LOG_IR: "aot" });
    expect(r.err).toMatch(/--- ykir aot: interp ---\ndefine .*@interp\(/);
    void readFileSync;
  });
});

// The runtime names a function id once, in the same write as the first
// recording that uses it; the pipe may cut that write anywhere. A failure
// while handling one message (typically the answer pipe closed because the
// program exited) used to skip only the rest of the chunk it arrived in and
// go on with the next chunk: a FUNCTION skipped that way made the next
// RECORDING "use a function id that was never named".
describe("jitd stops at the first failure, whatever the chunks", () => {
  test("requestQueue: nothing after a failed message is handled, in its chunk or a later one", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const handled: string[] = [];
    const failures: unknown[] = [];
    const names = new Set<number>();
    const q = requestQueue(async (m: Message) => {
      handled.push(m.type === "recording" ? `recording ${m.id}` : m.type === "function" ? `function ${m.id}` : m.type);
      if (m.type === "hello") await gate; // the ykir loads meanwhile
      if (m.type === "function") names.add(m.id);
      if (m.type !== "recording") return;
      if (!names.has(m.startFn)) throw new ProtocolError(`recording ${m.id} uses function id ${m.startFn} that was never named`);
      if (m.id === 1) throw Object.assign(new Error("write EPIPE"), { code: "EPIPE" }); // its answer cannot be sent
    }, (e) => failures.push(e));
    const rec = (id: number, fn: number) => encodeRecording({ id, loc: id, startFn: fn, startSite: 0, endSite: 0, blocks: [[fn, 1]] });
    // One write (FUNCTION 1 + RECORDING 2) cut by the pipe after the FUNCTION.
    q.push(Buffer.concat([encodeHello(0, false, "/x"), encodeFunction(0, "f"), rec(1, 0), encodeFunction(1, "g")]));
    const second = rec(2, 1);
    q.push(second.subarray(0, 7));
    q.push(second.subarray(7));
    release();
    await q.drained();
    expect(handled).toEqual(["hello", "function 0", "recording 1"]);
    expect(failures).toHaveLength(1);
    expect((failures[0] as NodeJS.ErrnoException).code).toBe("EPIPE");
  });

  test("requestQueue: a malformed frame fails once, after the messages before it", async () => {
    const handled: string[] = [];
    const failures: unknown[] = [];
    const q = requestQueue(async (m) => void handled.push(m.type), (e) => failures.push(e));
    q.push(encodeHello(0, false, "/x"));
    q.push(Buffer.from("\xff\xff\xff\xff\x01", "latin1"));
    q.push(encodeFunction(0, "f"));
    await q.drained();
    expect(handled).toEqual(["hello"]);
    expect(failures).toHaveLength(1);
    expect(String(failures[0])).toMatch(/bad frame length/);
  });

  test("jitd whose answer pipe closes during a compile ends quietly (no protocol error for later chunks)", async () => {
    const d = scratch();
    // A real recording: the runtime sends it to a jitd that only saves the bytes.
    // The program waits (30 s at most) until the jitd below has the
    // recording: at exit the runtime kills jitd.
    writeFileSync(`${d}/v.c`, `#include <unistd.h>
#include <ykts.h>
int interp(YkMT *mt, YkLocation *loc, int n) {
  int acc = 0;
  for (int i = 0; i < n; i++) { yk_mt_control_point(mt, loc); acc += i; }
  return acc;
}
int main(void) {
  YkMT *mt = yk_mt_new(0); YkLocation l = yk_location_new();
  int ok = interp(mt, &l, 1000) == 499500;
  for (int k = 0; k < 3000 && access("${d}/saved", F_OK) != 0; k++) usleep(10000);
  return ok ? 0 : 1;
}
`);
    expect(ykcc(["v.c", "-o", "v"], { cwd: d }).status).toBe(0);
    writeFileSync(`${d}/save.mjs`, `import { appendFileSync, createReadStream, readFileSync, writeFileSync } from "node:fs";
import { splitFrames } from "${REPO}/dist/jitd/protocol.js";
const a = process.argv.slice(2);
const [i] = a[a.indexOf("--fds") + 1].split(",").map(Number);
createReadStream("", { fd: i }).on("data", (c) => {
  appendFileSync("${d}/req.bin", c);
  if (splitFrames(readFileSync("${d}/req.bin")).frames.some((f) => f[0] === 0x03)) writeFileSync("${d}/saved", "");
});
`);
    const v = run(`${d}/v`, [], { env: { YKTS_JITD: `${d}/save.mjs` } });
    expect(v.status).toBe(0);
    const until = async (f: () => boolean) => {
      for (let t = Date.now(); !f(); await new Promise((r) => setTimeout(r, 20)))
        if (Date.now() - t > 30_000) throw new Error("timed out");
    };
    await until(() => existsSync(`${d}/saved`));
    const sent = splitFrames(readFileSync(`${d}/req.bin`)).frames.map((f) => decodeMessage(Buffer.from(f)));
    const r1 = sent.find((m) => m.type === "recording");
    if (r1?.type !== "recording") throw new Error("the runtime sent no recording");
    const start = sent.find((m) => m.type === "function" && m.id === r1.startFn);
    if (start?.type !== "function") throw new Error("the recording's function was not named");
    const blocks: [number, number][] = [];
    for (let i = 0; i < r1.blocks.length; i += 2) blocks.push([0, r1.blocks[i + 1]!]);

    // A clang that waits for the test; requests through a FIFO (a real pipe,
    // blocking, like the runtime's), answers on fd 4 as from the runtime.
    writeFileSync(`${d}/clang.sh`, `#!/bin/sh\ntouch ${d}/started\nwhile [ ! -e ${d}/go ]; do sleep 0.02; done\nexit 1\n`);
    chmodSync(`${d}/clang.sh`, 0o755);
    expect(run("mkfifo", [`${d}/req`]).status).toBe(0);
    // One compile at a time (YKTS_JITD_JOBS=1): with more, recording 2 would
    // be handled beside recording 1's paused compile, before any failure;
    // clang only (YKTS_TIER=llvm), the compiler this test pauses.
    const env: Record<string, string> = { ...process.env as Record<string, string>, YKTS_LOG: "1", YKTS_CLANG: `${d}/clang.sh`, YKTS_JITD_JOBS: "1", YKTS_TIER: "llvm" };
    const p = spawn("/bin/sh", ["-c", 'exec "$0" "$1" --fds 3,4 3< "$2"', process.execPath, `${REPO}/dist/jitd/main.js`, `${d}/req`],
      { env, stdio: ["ignore", "ignore", "pipe", "ignore", "pipe"] });
    let err = "";
    p.stderr!.on("data", (c: Buffer) => (err += c.toString()));
    const closed = new Promise<number | null>((r) => p.on("close", r));
    const w = openSync(`${d}/req`, "w");
    // First write: recording 1 (compiled, slowly) and then the name of id 1.
    writeSync(w, Buffer.concat([encodeHello(0, false, `${d}/v`), encodeFunction(0, start.name),
      encodeRecording({ id: 1, loc: 1, startFn: 0, startSite: r1.startSite, endSite: r1.endSite, blocks }), encodeFunction(1, "g")]));
    await until(() => existsSync(`${d}/started`));
    // The program exits: jitd's answer to recording 1 will fail with EPIPE.
    p.stdio[4]!.destroy();
    // Second write: a recording that uses id 1, then more than a pipe's worth
    // of names, so that writeSync returns only once jitd has read the recording.
    const pad = Array.from({ length: 12000 }, (_, i) => encodeFunction(1000 + i, "padding"));
    writeSync(w, Buffer.concat([encodeRecording({ id: 2, loc: 2, startFn: 1, startSite: 0, endSite: 0, blocks: [] }), ...pad]));
    writeFileSync(`${d}/go`, "");
    closeSync(w);
    expect(await closed).toBe(0);
    expect(err).toContain("ykts jitd: recording 1 loc=1");
    expect(err).not.toContain("protocol error");
    expect(err).not.toContain("recording 2");
  }, 180_000);
});
