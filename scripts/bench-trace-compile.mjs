// Compile time of a trace's LLVM module to a shared object, for several
// ways of doing it, interleaved (each repetition runs every way on every
// file, in a random order), on kept trace modules (YKTS_KEEP_TRACES=1):
//   node scripts/bench-trace-compile.mjs REPS WAY,WAY,... FILE.ll...
// Ways are named below; EXTRA='{"name":"cmd with $L (the .ll), $O (output
// stem), $LLD (ld.lld of $O.o)"}' adds others. Prints, per way, the median
// over files of each file's median wall and CPU (user+sys) time, their sums,
// and the median per-file ratio to `cur` (the ld.lld link of clang -O2),
// then the per-file medians (wall/CPU ms). docs/traces.md §5, "Compile time".
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { basename } from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
const tmp = mkdtempSync(`${tmpdir()}/ykts-compile-bench-`);
process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));
const [reps, altsArg, ...files] = process.argv.slice(2);
const W = "-Wno-override-module -w";
const lld = (o) => `ld.lld-19 -shared -z notext ${o}.o -o ${o}.so`;
const A = {
  cur: (l, o) => `clang-19 -O2 -fPIC -c ${W} ${l} -o ${o}.o && ${lld(o)}`,
  shared: (l, o) => `clang-19 -O2 -fPIC -shared -nostdlib -fuse-ld=lld -Wl,-z,notext ${W} ${l} -o ${o}.so`,
  O1: (l, o) => `clang-19 -O1 -fPIC -c ${W} ${l} -o ${o}.o && ${lld(o)}`,
  Os: (l, o) => `clang-19 -Os -fPIC -c ${W} ${l} -o ${o}.o && ${lld(o)}`,
  notail: (l, o) => `clang-19 -O2 -fPIC -c ${W} -mllvm -enable-tail-merge=false ${l} -o ${o}.o && ${lld(o)}`,
  nounroll: (l, o) => `clang-19 -O2 -fPIC -c ${W} -fno-unroll-loops ${l} -o ${o}.o && ${lld(o)}`,
  fastisel: (l, o) => `clang-19 -O2 -fPIC -c ${W} -mllvm -fast-isel ${l} -o ${o}.o && ${lld(o)}`,
  nounwind: (l, o) => `clang-19 -O2 -fPIC -c ${W} -fno-asynchronous-unwind-tables ${l} -o ${o}.o && ${lld(o)}`,
  bc: (l, o) => `clang-19 -O2 -fPIC -c ${W} ${l.replace(/\.ll$/, ".bc")} -o ${o}.o && ${lld(o)}`,
  tcc: (l, o) => `clang-19 -O2 -mllvm -enable-tail-merge=false -fPIC -c ${W} ${l} -o ${o}.o && tcc -shared -nostdlib ${o}.o -o ${o}.so`,
  llcO2: (l, o) => `llc-19 -O2 -relocation-model=pic -filetype=obj ${l} -o ${o}.o && ${lld(o)}`,
  llcO1: (l, o) => `llc-19 -O1 -relocation-model=pic -filetype=obj ${l} -o ${o}.o && ${lld(o)}`,
  llcO0: (l, o) => `llc-19 -O0 -relocation-model=pic -filetype=obj ${l} -o ${o}.o && ${lld(o)}`,
  optO2llc: (l, o) => `opt-19 -passes='default<O2>' ${l} -o ${o}.bc && llc-19 -O2 -relocation-model=pic -filetype=obj ${o}.bc -o ${o}.o && ${lld(o)}`,
  optO1llc: (l, o) => `opt-19 -passes='default<O1>' ${l} -o ${o}.bc && llc-19 -O2 -relocation-model=pic -filetype=obj ${o}.bc -o ${o}.o && ${lld(o)}`,
  O2cg1: (l, o) => `opt-19 -passes='default<O2>' ${l} -o ${o}.bc && llc-19 -O1 -relocation-model=pic -filetype=obj ${o}.bc -o ${o}.o && ${lld(o)}`,
};
for (const [k, v] of Object.entries(JSON.parse(process.env.EXTRA ?? "{}"))) A[k] = (l, o) => v.replaceAll("$LLD", lld(o)).replaceAll("$L", l).replaceAll("$O", o);
const alts = altsArg.split(",");
for (const f of files) { const bc = f.replace(/\.ll$/, ".bc"); if (!existsSync(bc)) spawnSync("llvm-as-19", [f, "-o", bc]); }
const wall = {}, cpu = {};
for (let r = 0; r < Number(reps); r++)
  for (const f of files) {
    const order = [...alts].sort(() => Math.random() - 0.5);
    for (const a of order) {
      const o = `${tmp}/out-${a}-${basename(f, ".ll")}`;
      const t0 = performance.now();
      const p = spawnSync("bash", ["-c", `TIMEFORMAT='%3U %3S'; { time ( ${A[a](f, o)} ) ; } 2>${tmp}/time.txt`], { encoding: "utf8" });
      const t = performance.now() - t0;
      if (p.status !== 0) { console.error(`${a} ${f}: ${readFileSync(`${tmp}/time.txt`,"utf8").slice(0, 300)}`); continue; }
      const [u, s] = readFileSync(`${tmp}/time.txt`, "utf8").trim().split(/\s+/).slice(-2).map(Number);
      ((wall[a] ??= {})[f] ??= []).push(t);
      ((cpu[a] ??= {})[f] ??= []).push((u + s) * 1000);
    }
  }
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); const n = s.length; return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; };
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
console.log(`alt         median wall ms | median cpu ms | sum wall s | sum cpu s | wall/cur | cpu/cur (median of per-file ratios)`);
const res = {};
for (const a of alts) {
  const per = files.map((f) => med(wall[a]?.[f] ?? [NaN]));
  const perc = files.map((f) => med(cpu[a]?.[f] ?? [NaN]));
  res[a] = { per, perc };
}
for (const a of alts) {
  const { per, perc } = res[a];
  const ratio = res.cur ? med(per.map((x, i) => x / res.cur.per[i])) : NaN;
  const ratioc = res.cur ? med(perc.map((x, i) => x / res.cur.perc[i])) : NaN;
  console.log(`${a.padEnd(11)} ${med(per).toFixed(0).padStart(6)} | ${med(perc).toFixed(0).padStart(6)} | ${(sum(per) / 1000).toFixed(2).padStart(6)} | ${(sum(perc) / 1000).toFixed(2).padStart(6)} | ${ratio.toFixed(2)} | ${ratioc.toFixed(2)}`);
}
console.log("\nper file wall medians:");
console.log("file".padEnd(28) + alts.map((a) => a.padStart(9)).join(""));
files.forEach((f, i) => console.log(basename(f).padEnd(28) + alts.map((a) => (res[a].per[i].toFixed(0) + "/" + res[a].perc[i].toFixed(0)).padStart(10)).join("")));
