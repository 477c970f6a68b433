// jitd's serving loop: reads the runtime's messages (docs/protocol.md),
// loads the program's ykir at the hello, checks each recording against it,
// compiles the valid ones into trace objects (compile-trace.ts) and answers
// "compiled: <.so> <symbol>" or "not compiled: <reason>". Diagnostics go to stderr (the runtime points
// jitd's stdout there too); the answer channel carries frames only.
import { createReadStream, existsSync, fstatSync, writeSync } from "node:fs";
import {
  decodeMessage, encodeCompiled, encodeHelloAck, encodeNotCompiled, encodeUpgrade, PROTOCOL_VERSION, ProtocolError, splitFrames, type Message,
} from "./protocol.js";
import type { Program } from "./program.js";
import { validateRecording, type ValidationResult } from "./validate-recording.js";
import { cancelCompiles, compileTrace, parseTier, programView, type UpgradeResult } from "./compile-trace.js";
import type { ProgramView } from "../trace-interp/build.js";
import { CLANG, TCC } from "../cc/toolchain.js";
import { parseClangOpt, parseTraceLinker } from "./trace-object.js";
import { optDisabled } from "../opt/index.js";

export interface JitdOptions {
  exe: string | null;
  pid: number | null;
  /** Request and answer descriptors (`--fds 3,4` from the runtime); null = stdin/stdout. */
  fds: [number, number] | null;
}

/** Parses `--fds <in>,<out>`. The descriptors must be named explicitly: Node
 *  itself opens descriptors (epoll, eventfd) that may sit at 3 and 4. */
export function parseFds(v: string | null | undefined): [number, number] | null {
  if (!v) return null;
  const m = /^(\d+),(\d+)$/.exec(v);
  if (!m) throw new Error(`--fds: expected <in>,<out>, got ${JSON.stringify(v)}`);
  const fds: [number, number] = [Number(m[1]), Number(m[2])];
  for (const fd of fds) fstatSync(fd); // fails clearly when not open
  return fds;
}

function log(line: string): void {
  process.stderr.write(`ykts jitd: ${line}\n`);
}

/** The requests in the order the runtime sent them, whatever the pipe's
 *  chunks: `push` takes the bytes as they come, `handle` gets one message at
 *  a time (the next waits for it to settle). The first failure (a malformed
 *  frame or message, or a throw from `handle`) ends the service: `fail` gets
 *  it, once, and nothing after it is handled, in this chunk or a later one.
 *  Handling the messages after a failed one would act on a stream with a
 *  hole in it (a FUNCTION skipped makes a later RECORDING look unnamed). */
export function requestQueue(handle: (m: Message) => Promise<void>, fail: (e: unknown) => void): { push(chunk: Buffer): void; drained(): Promise<void> } {
  let pending: Buffer = Buffer.alloc(0);
  let chain: Promise<void> = Promise.resolve();
  let failed = false; // a step failed: nothing more is handled
  let broken = false; // the byte stream cannot be split any further
  const step = (f: () => Promise<void> | void) => {
    chain = chain.then(async () => {
      if (failed) return;
      try {
        await f();
      } catch (e) {
        failed = true;
        fail(e);
      }
    });
  };
  return {
    push(chunk: Buffer) {
      if (broken || failed) return;
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      let frames: Buffer[];
      try {
        const split = splitFrames(pending);
        frames = split.frames;
        pending = Buffer.from(split.rest); // a copy, like the frames below
      } catch (e) {
        broken = true;
        step(() => { throw e; }); // reported in order, after what came before
        return;
      }
      // Decode now: frames are views into the stream's buffers, and handling
      // waits behind earlier messages (the hello loads the ykir first), by
      // which time a view may no longer show what was read.
      for (const f of frames) {
        let m: Message;
        try {
          m = decodeMessage(Buffer.from(f));
        } catch (e) {
          broken = true;
          step(() => { throw e; });
          return;
        }
        step(() => handle(m));
      }
    },
    drained: () => chain,
  };
}

export async function runJitd(o: JitdOptions): Promise<number> {
  // The runtime gives requests on fd 3 and takes answers on fd 4 (--fds 3,4);
  // run by hand (or in tests) jitd speaks on stdin/stdout instead.
  const [inFd, outFd] = o.fds ?? [0, 1];
  const logOn = !!process.env.YKTS_LOG && process.env.YKTS_LOG !== "0";
  const irStages = new Set((process.env.YKTS_LOG_IR ?? "").split(",").map((s) => s.trim()).filter(Boolean));
  const logIR = irStages.has("aot");
  const compileOff = process.env.YKTS_COMPILE === "off";
  const tier = parseTier(process.env.YKTS_TIER);
  const toolchain = { clang: CLANG, clangOpt: parseClangOpt(process.env.YKTS_CLANG_OPT), tcc: TCC, linker: parseTraceLinker(process.env.YKTS_TRACE_LD) };
  const optOff = optDisabled(process.env.YKTS_OPT);
  let view: ProgramView | null = null;
  const names = new Map<number, string>();
  let program: Program | null = null;
  let helloSeen = false;

  const send = (b: Buffer) => {
    let off = 0;
    while (off < b.length) off += writeSync(outFd, b, off, b.length - off);
  };

  let runtimeGone = false;
  let answers = 0;
  const dieAfter = Number(process.env.YKTS_JITD_DIE_AFTER ?? 0);
  // Compiles run beside the reading of requests, YKTS_JITD_JOBS (default 1)
  // at a time; side recordings go first (each replaces deopts of a trace
  // that already runs), then upgrades (a tcc trace compiled again by clang,
  // which the runtime asked for because the trace is hot), at most
  // YKTS_JITD_JOBS - 1 of them at once when that is more than one, then
  // root recordings in the order they came. (Upgrades behind root
  // recordings, bench/lua at the large size under YKTS_TIER=auto, two
  // interleaved runs: nbody 2.00/1.93 s against 1.40/1.69, spectralnorm
  // 1.18/1.22 against 1.12/1.14, fannkuch 4.00/4.34 against 3.62/3.71.)
  // One at a time is the default: on two cores, a second clang beside the
  // interpreter cost it more than the earlier traces gained (bench/lua at
  // the large size, 2 against 1: nbody 1.39/1.44 s against 1.10/1.14, fannkuch 3.65/3.42
  // against 2.92/3.27, richards 2.14/2.16 against 1.90/1.88).
  const maxJobs = Math.max(1, Number(process.env.YKTS_JITD_JOBS ?? 1) || 1);
  const maxUpgrades = Math.max(1, maxJobs - 1);
  const jobs: { side: boolean; upgrade?: boolean; run: () => Promise<void> }[] = [];
  // Fast-tier traces' upgrades, by symbol, until the runtime asks for one.
  const upgradable = new Map<string, () => Promise<void>>();
  let runningJobs = 0;
  let runningUpgrades = 0;
  let jobFailed: (e: unknown) => void = () => {};
  let idle: (() => void) | null = null;
  let jobsStopped = false;
  const pump = (): void => {
    while (!jobsStopped && runningJobs < maxJobs && jobs.length > 0) {
      let k = jobs.findIndex((j) => j.side);
      if (k < 0 && runningUpgrades < maxUpgrades) k = jobs.findIndex((j) => j.upgrade);
      if (k < 0) k = jobs.findIndex((j) => !j.upgrade);
      if (k < 0 && runningUpgrades < maxUpgrades) k = 0;
      if (k < 0) break;
      const job = jobs.splice(k, 1)[0]!;
      runningJobs++;
      if (job.upgrade) runningUpgrades++;
      job.run().catch((e) => {
        // Like a failed request: nothing after it is handled.
        jobsStopped = true;
        jobs.length = 0;
        jobFailed(e);
      }).finally(() => {
        runningJobs--;
        if (job.upgrade) runningUpgrades--;
        pump();
        if (runningJobs === 0 && jobs.length === 0 && idle) idle();
      });
    }
  };
  const jobsDone = (): Promise<void> =>
    runningJobs === 0 && jobs.length === 0 ? Promise.resolve() : new Promise((r) => { idle = r; });

  const handle = async (m: Message): Promise<void> => {
    if (m.type === "hello") {
      if (helloSeen) throw new ProtocolError("second hello");
      helloSeen = true;
      if (m.version !== PROTOCOL_VERSION) throw new ProtocolError(`protocol version ${m.version}, this jitd speaks ${PROTOCOL_VERSION}`);
      send(encodeHelloAck(`ykts jitd (node ${process.version})`));
      const { loadProgram } = await import("./program.js");
      // /proc/<pid>/exe is the running file even if the path was replaced
      // since (a rebuild while the program runs).
      const pid = o.pid ?? m.pid;
      const proc = `/proc/${pid}/exe`;
      program = await loadProgram(pid && existsSync(proc) ? proc : o.exe ?? m.exe);
      if (logOn) log(`pid ${m.pid} exe ${program.exe}: ${program.note} (${program.loadMs.toFixed(1)} ms)`);
      return;
    }
    if (!helloSeen) throw new ProtocolError(`${m.type} before hello`);
    if (m.type === "function") {
      names.set(m.id, m.name);
      return;
    }
    if (m.type === "upgrade-request") {
      // Every request gets one UPGRADE (the runtime counts what it is owed).
      const job = upgradable.get(m.symbol);
      if (!job) {
        send(encodeUpgrade(m.symbol, { reason: "no fast-tier trace of that name can be upgraded" }));
        return;
      }
      upgradable.delete(m.symbol);
      jobs.push({ side: false, upgrade: true, run: job });
      pump();
      return;
    }
    const fnName = (id: number) => {
      const n = names.get(id);
      if (n === undefined) throw new ProtocolError(`recording ${m.id} uses function id ${id} that was never named`);
      return n;
    };
    const blocks: { fn: string; block: number }[] = [];
    for (let i = 0; i < m.blocks.length; i += 2) blocks.push({ fn: fnName(m.blocks[i]!), block: m.blocks[i + 1]! });
    const startFn = fnName(m.startFn);
    const head = `${m.parent ? "side " : ""}recording ${m.id} loc=${m.loc} site=${startFn}#${m.startSite}${m.parent ? ` from ${m.parent.symbol} guard ${m.parent.guard}` : ""} len=${blocks.length} promotes=${m.promotes.length}${m.exitsToLoc ? " stops at another location's trace" : ""}`;
    jobs.push({ side: !!m.parent, run: () => compileJob(m, blocks, startFn, head) });
    pump();
  };

  const compileJob = async (m: Extract<Message, { type: "recording" }>, blocks: { fn: string; block: number }[], startFn: string, head: string): Promise<void> => {
    let reason: string;
    let compiled: { so: string; symbol: string; upgrade?: () => Promise<UpgradeResult> } | null = null;
    const p = program!;
    if (!p.views) {
      reason = `no ykir to check it against (${p.note})`;
    } else {
      // A side recording starts inside the frames of a guard: the trace
      // builder checks each of its steps as it replays them.
      const v: ValidationResult = m.parent ? { ok: true }
        : validateRecording({ startFn, startSite: m.startSite, endSite: m.endSite, blocks }, (n) => p.views!.get(n));
      if (!v.ok) {
        reason = `invalid recording at entry ${v.index}: ${v.error}`;
      } else if (runtimeGone) {
        reason = `recording valid; not compiled: the program has exited`;
      } else if (compileOff) {
        reason = `recording valid; compiling is off (YKTS_COMPILE=off)`;
      } else {
        view ??= programView(p);
        const r = await compileTrace(view, { id: m.id, startFn, startSite: m.startSite, blocks, promotes: m.promotes, parent: m.parent, exitsToLoc: m.exitsToLoc }, { logIR: irStages, toolchain, tcc: TCC, tier, disabled: optOff });
        if (r.ok) {
          compiled = r;
          reason = `compiled ${r.symbol}: ${r.insts} instructions, ${r.guards} guards, build ${r.ms.build.toFixed(1)} ms, codegen ${r.ms.codegen.toFixed(1)} ms, ${r.tier === "tcc" ? "tcc" : "clang"} ${r.ms.clang.toFixed(r.tier === "tcc" ? 1 : 0)} ms${r.note ? ` (${r.note})` : ""}`;
        } else {
          reason = `recording valid; ${r.reason}`;
        }
      }
    }
    if (logOn) log(`${head}: ${reason}`);
    if (logIR && p.modules) {
      const { printFunction } = await import("../ykir/index.js");
      const seen = new Set<string>([startFn, ...blocks.map((b) => b.fn)]);
      for (const n of seen) {
        const mod = p.owner.get(n);
        const f = mod?.getFunction(n);
        process.stderr.write(f ? `--- ykir aot: ${n} ---\n${printFunction(f, mod)}\n` : `--- ykir aot: ${n}: not found ---\n`);
      }
    }
    send(compiled ? encodeCompiled(m.id, compiled.so, compiled.symbol, !!compiled.upgrade) : encodeNotCompiled(m.id, reason));
    // Fault injection for tests: jitd dies (SIGKILL) after its N-th answer.
    if (++answers === dieAfter) process.kill(process.pid, "SIGKILL");
    const upgrade = compiled?.upgrade;
    if (upgrade) {
      // Compiled when the runtime asks (the trace got hot: UPGRADE_REQUEST).
      const sym = compiled!.symbol;
      upgradable.set(sym, async () => {
        const u = runtimeGone ? { ok: false as const, reason: "the program has exited" } : await upgrade();
        if (runtimeGone) return;
        if (logOn) log(u.ok ? `upgrade of ${sym}: compiled ${u.symbol}, clang ${u.ms.toFixed(0)} ms` : `upgrade of ${sym}: not compiled: ${u.reason}`);
        send(encodeUpgrade(sym, u.ok ? u : { reason: u.reason }));
      });
    }
  };

  return await new Promise<number>((resolve) => {
    const stream = createReadStream("", { fd: inFd, highWaterMark: 1 << 16 });
    const die = (e: unknown) => {
      // The interpreter exiting closes the answer pipe: an ordinary end, not
      // an error to print into the interpreter's stderr.
      if ((e as NodeJS.ErrnoException | null)?.code === "EPIPE") {
        stream.destroy();
        resolve(0);
        return;
      }
      // The interpreter's output stays its own: a failing jitd only turns
      // the JIT off, and says why when logging is on (YKTS_LOG).
      if (logOn) log(`${e instanceof ProtocolError ? "protocol error" : "error"}: ${e instanceof Error ? e.message : String(e)}`);
      stream.destroy();
      resolve(2);
    };
    jobFailed = die;
    const requests = requestQueue(handle, die);
    stream.on("data", (chunk) => requests.push(chunk as Buffer));
    stream.on("end", () => {
      // The interpreter has gone: recordings still queued are not compiled.
      runtimeGone = true;
      cancelCompiles();
      void requests.drained().then(jobsDone).then(() => resolve(0));
    });
    stream.on("error", (e) => die(e));
  });
}
