// Replays requests saved by scripts/jitd-tee.mjs through jitd's compile
// step (dist/, so `npm run build` first) and prints per recording the build
// and codegen times:
//   node scripts/replay-recordings.mjs FILE [--clang] [--repeat N]
// Without --clang, clang is not run: a stand-in copies an empty object to
// its -o (ld.lld still links it). YKTS_LOG_IR=llvm etc. print as in jitd
// (symbols carry this process's pid).
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { execFileSync } from "node:child_process";
import { splitFrames, decodeMessage } from "../dist/jitd/protocol.js";
import { loadProgram } from "../dist/jitd/program.js";
import { compileTrace, programView } from "../dist/jitd/compile-trace.js";
import { validateRecording } from "../dist/jitd/validate-recording.js";
import { CLANG, TCC } from "../dist/cc/toolchain.js";
import { DEFAULT_CLANG_OPT } from "../dist/jitd/trace-object.js";

const argv = process.argv.slice(2);
const file = argv.find((a) => !a.startsWith("--") && !/^\d+$/.test(a));
const withClang = argv.includes("--clang");
const ri = argv.indexOf("--repeat");
const repeat = ri >= 0 ? Number(argv[ri + 1]) : 1;
let clang = CLANG;
if (!withClang) {
  const d = mkdtempSync(`${tmpdir()}/ykts-replay-`);
  execFileSync(CLANG, ["-c", "-x", "c", "/dev/null", "-o", `${d}/empty.o`]);
  clang = `${d}/clang`;
  writeFileSync(clang, `#!/bin/sh\nwhile [ "$1" != "-o" ]; do shift; done\nexec cp ${d}/empty.o "$2"\n`);
  chmodSync(clang, 0o755);
}
const irStages = new Set((process.env.YKTS_LOG_IR ?? "").split(",").map((s) => s.trim()).filter(Boolean));

const { frames } = splitFrames(readFileSync(file));
const msgs = frames.map((f) => decodeMessage(Buffer.from(f)));
const hello = msgs.find((m) => m.type === "hello");
const program = await loadProgram(hello.exe);
const view = programView(program);
const names = new Map();
let total = { build: 0, codegen: 0, clang: 0 };
for (let r = 0; r < repeat; r++) {
  for (const m of msgs) {
    if (m.type === "function") names.set(m.id, m.name);
    if (m.type !== "recording") continue;
    const blocks = [];
    for (let i = 0; i < m.blocks.length; i += 2) blocks.push({ fn: names.get(m.blocks[i]), block: m.blocks[i + 1] });
    const startFn = names.get(m.startFn);
    if (!m.parent) {
      const v = validateRecording({ startFn, startSite: m.startSite, endSite: m.endSite, blocks }, (n) => program.views.get(n));
      if (!v.ok) { console.log(`recording ${m.id} len=${blocks.length}: invalid`); continue; }
    }
    // A side recording names its parent by the recording jitd's pid.
    const parent = m.parent && { ...m.parent, symbol: m.parent.symbol.replace(/^__ykts_trace_\d+_/, `__ykts_trace_${process.pid}_`) };
    const res = await compileTrace(view, { id: m.id, startFn, startSite: m.startSite, blocks, promotes: m.promotes, parent },
      { logIR: irStages, tier: "llvm", tcc: TCC, toolchain: { clang, clangOpt: DEFAULT_CLANG_OPT, tcc: TCC, linker: "tcc" }, disabled: new Set() });
    if (!res.ok) { console.log(`recording ${m.id} len=${blocks.length}: ${res.reason.slice(0, 120)}`); continue; }
    for (const k of Object.keys(total)) total[k] += res.ms[k];
    console.log(`recording ${m.id} len=${blocks.length}: ${res.insts} insts, ${res.guards} guards, build ${res.ms.build.toFixed(1)} ms, codegen ${res.ms.codegen.toFixed(1)} ms${withClang ? `, clang ${res.ms.clang.toFixed(0)} ms` : ""}`);
  }
}
console.log(`total: build ${total.build.toFixed(1)} ms, codegen ${total.codegen.toFixed(1)} ms${withClang ? `, clang ${total.clang.toFixed(0)} ms` : ""}`);
