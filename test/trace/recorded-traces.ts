// Real recordings for the tests of the trace passes: builds a test/c
// interpreter with `ykts cc -O2`, runs it with scripts/jitd-tee.mjs as its
// jitd (which saves every request the runtime sends, docs/traces.md §5),
// and turns the saved recordings back into the trace builder's input, over
// the executable's own ykir (jitd's loadProgram and programView). Side
// recordings come with their parent guard's frames as jitd chose them
// (the parent rebuilt: passes, then deopt sources).
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { CC_MAIN, REPO, scratch } from "../cc/helpers.js";
import { decodeMessage, splitFrames } from "../../src/jitd/protocol.js";
import { loadProgram } from "../../src/jitd/program.js";
import { programView } from "../../src/jitd/compile-trace.js";
import { validateRecording } from "../../src/jitd/validate-recording.js";
import { buildTrace, type ProgramView, type RecordingInput } from "../../src/trace-interp/build.js";
import { PASSES } from "../../src/opt/index.js";
import { assignDeoptSources } from "../../src/codegen/deopt-sources.js";
import type { GuardInfo, Trace } from "../../src/trace-ir/trace.js";

export interface Recorded {
  /** `program#recording id`, for test names. */
  name: string;
  rec: RecordingInput;
}

export interface RecordedProgram { exe: string; view: ProgramView; recordings: Recorded[]; stderr: string }

/** Builds test/c/<file> with ykts cc, runs it with the tee jitd, returns its valid recordings. */
export async function recordProgram(file: string, args: string[], env: Record<string, string>): Promise<RecordedProgram> {
  const d = scratch("ykts-eval-");
  const exe = `${d}/${file.replace(/\.c$/, "")}`;
  const b = await run(process.execPath, [CC_MAIN, "-O2", "-I", `${REPO}/native`, `${REPO}/test/c/${file}`, "-o", exe], d, {});
  if (b.status !== 0) throw new Error(`ykts cc ${file} failed:\n${b.stderr}`);
  const tee = `${d}/requests.bin`;
  // Tier tcc: the same traces, compiled in milliseconds (side recordings need compiled parents).
  const r = await run(exe, args, d,
    { YKTS_JITD: `${REPO}/scripts/jitd-tee.mjs`, YKTS_TEE_FILE: tee, YKTS_SYNC: "1", YKTS_LOG: "1", YKTS_TIER: "tcc", ...env });
  if (r.status !== 0 || !existsSync(tee)) throw new Error(`${file} ${args.join(" ")} failed (${r.status}):\n${r.stderr}`);
  const program = await loadProgram(exe);
  const view = programView(program);
  const names = new Map<number, string>();
  const recordings: Recorded[] = [];
  for (const f of splitFrames(readFileSync(tee)).frames) {
    const m = decodeMessage(Buffer.from(f));
    if (m.type === "function") names.set(m.id, m.name);
    if (m.type !== "recording") continue;
    const blocks: { fn: string; block: number }[] = [];
    for (let i = 0; i < m.blocks.length; i += 2) blocks.push({ fn: names.get(m.blocks[i]!)!, block: m.blocks[i + 1]! });
    const startFn = names.get(m.startFn)!;
    if (!m.parent) {
      const v = validateRecording({ startFn, startSite: m.startSite, endSite: m.endSite, blocks }, (n) => program.views!.get(n));
      if (!v.ok) continue;
    }
    const rec: RecordingInput = { name: `t${m.id}`, startFn, startSite: m.startSite, blocks, promotes: m.promotes, ...(m.exitsToLoc ? { exitsToLoc: true } : {}) };
    if (m.parent) {
      // The parent's symbol ends in its recording id (a tier-auto upgrade's in `_l`).
      const pid = Number(/_(\d+)(_l)?$/.exec(m.parent.symbol)?.[1]);
      const parent = recordings.find((x) => x.rec.name === `t${pid}`);
      if (!parent) continue;
      const g = parentGuards(view, parent.rec)[m.parent.guard];
      if (!g) continue;
      rec.side = { parent: parent.rec.name, guard: m.parent.guard, frames: g.frames, endsAtRoot: m.parent.endsAtRoot };
    }
    recordings.push({ name: `${file}#${m.id}${m.parent ? ` (side of #${rec.side!.parent.slice(1)} guard ${m.parent.guard})` : ""}`, rec });
  }
  return { exe, view, recordings, stderr: r.stderr };
}

/** Runs a command with the YKTS_* environment replaced by `env` (asynchronously: the programs are recorded in parallel). */
function run(cmd: string, args: string[], cwd: string, env: Record<string, string>): Promise<{ status: number; stderr: string }> {
  const e: Record<string, string | undefined> = { ...process.env };
  for (const k of Object.keys(e)) if (k.startsWith("YKTS_")) delete e[k];
  Object.assign(e, env);
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, env: e as NodeJS.ProcessEnv, timeout: 120_000, maxBuffer: 64 << 20 }, (err, _out, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : -1) : 0;
      resolve({ status: code, stderr: String(stderr) });
    });
  });
}

/** The guards of a trace as jitd leaves them for its side traces: all passes, then deopt sources. */
function parentGuards(view: ProgramView, rec: RecordingInput): GuardInfo[] {
  const t = buildTrace(view, rec);
  for (const p of PASSES) p.run(t);
  assignDeoptSources(t, { derived: true });
  return t.guards;
}

/** A fresh trace of the recording (builder only, no passes). */
export function traceOf(view: ProgramView, r: Recorded): Trace {
  return buildTrace(view, r.rec);
}
