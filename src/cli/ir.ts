// `ykts ir ...`: inspect, round-trip and serialise LLVM IR through ykir.
import { Command } from "commander";
import { readFile, writeFile } from "node:fs/promises";
import { cpus } from "node:os";
import { parseIRFile } from "../llvm-import/driver.js";
import { roundTripFile, mapLimit } from "../llvm-import/roundtrip.js";
import { printModule } from "../ykir/printer.js";
import { serialiseModule, loadModule } from "../ykir/serialise.js";
import { parseModule } from "../llvm-import/parser.js";
import type { Module } from "../ykir/module.js";

function emit(text: string, out?: string): Promise<void> | void {
  if (out) return writeFile(out, text, "latin1");
  process.stdout.write(Buffer.from(text, "latin1"));
}

/** Counts of functions, blocks and instructions per opcode. */
export function moduleStats(m: Module): { functions: number; declarations: number; globals: number; blocks: number; instructions: number; opcodes: Map<string, number> } {
  const opcodes = new Map<string, number>();
  let blocks = 0, instructions = 0, functions = 0, declarations = 0;
  for (const f of m.functions) {
    if (f.isDeclaration) { declarations++; continue; }
    functions++;
    for (const b of f.blocks) {
      blocks++;
      for (const i of b.instructions) { instructions++; opcodes.set(i.opcode, (opcodes.get(i.opcode) ?? 0) + 1); }
    }
  }
  return { functions, declarations, globals: m.globals.length, blocks, instructions, opcodes };
}

export function irCommand(): Command {
  const ir = new Command("ir").description("LLVM 19 IR through ykir: print, stats, roundtrip, serialise, load");

  ir.command("print")
    .description("parse FILE.ll into ykir and print it back as LLVM text")
    .argument("<file>")
    .option("-o, --output <out>", "write to a file instead of stdout")
    .action(async (file: string, o: { output?: string }) => {
      await emit(printModule(await parseIRFile(file)), o.output);
    });

  ir.command("stats")
    .description("functions, blocks and instructions per opcode of FILE.ll")
    .argument("<file>")
    .action(async (file: string) => {
      const s = moduleStats(await parseIRFile(file));
      const lines = [
        `functions:    ${s.functions} defined, ${s.declarations} declared`,
        `globals:      ${s.globals}`,
        `blocks:       ${s.blocks}`,
        `instructions: ${s.instructions}`,
        ...[...s.opcodes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([op, n]) => `  ${op.padEnd(16)}${n}`),
      ];
      process.stdout.write(lines.join("\n") + "\n");
    });

  ir.command("roundtrip")
    .description("parse, print, reassemble with llvm-as and compare (llvm-dis texts and llvm-diff) for each FILE.ll")
    .argument("<files...>")
    .option("-j, --jobs <n>", "files checked in parallel", String(Math.max(1, Math.min(4, cpus().length))))
    .action(async (files: string[], o: { jobs: string }) => {
      const results = await mapLimit(files, Math.max(1, Number(o.jobs) || 1), async (f) => {
        const r = await roundTripFile(f);
        process.stdout.write(`${r.ok ? "ok  " : "FAIL"} ${f}: ${r.summary}\n`);
        return r;
      });
      const bad = results.filter((r) => !r.ok);
      for (const r of bad.slice(0, 3)) process.stdout.write(`\n--- ${r.file}: ${r.summary}\n${r.details ?? ""}\n`);
      process.stdout.write(`${results.length - bad.length}/${results.length} files round-trip\n`);
      if (bad.length) process.exitCode = 1;
    });

  ir.command("serialise")
    .alias("serialize")
    .description("parse FILE.ll and write its serialised ykir to OUT")
    .argument("<file>")
    .requiredOption("-o, --output <out>", "output file")
    .action(async (file: string, o: { output: string }) => {
      await writeFile(o.output, serialiseModule(await parseIRFile(file)));
    });

  ir.command("load")
    .description("load serialised ykir and print it as LLVM text")
    .argument("<file>")
    .option("-o, --output <out>", "write to a file instead of stdout")
    .action(async (file: string, o: { output?: string }) => {
      let m: Module;
      try { m = loadModule(await readFile(file)); } catch (e) { throw new Error(`${file}: ${(e as Error).message}`); }
      await emit(printModule(m), o.output);
    });
  ir.command("loadtime")
    .description("load serialised ykir files once in this fresh process and report the time (the JIT's cold start)")
    .argument("<files...>")
    .action(async (files: string[]) => {
      const bufs = await Promise.all(files.map((f) => readFile(f)));
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (let k = 0; k < bufs.length; k++) {
        try { loadModule(bufs[k]!); } catch (e) { throw new Error(`${files[k]}: ${(e as Error).message}`); }
      }
      const wall = performance.now() - t0;
      const cpu = process.cpuUsage(c0);
      const bytes = bufs.reduce((a, b) => a + b.length, 0);
      process.stdout.write(`loaded ${files.length} files (${(bytes / 1e6).toFixed(2)} MB) in ${wall.toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU\n`);
    });

  ir.command("timing")
    .description("time parse, print, serialise and load over all FILE.ll together (a benchmark, not a test)")
    .argument("<files...>")
    .option("-r, --runs <n>", "repetitions (the best is reported, and the first load separately)", "5")
    .action(async (files: string[], o: { runs: string }) => {
      const srcs = await Promise.all(files.map((f) => readFile(f, "latin1")));
      const runs = Math.max(1, Number(o.runs) || 1);
      const best = { parse: Infinity, print: Infinity, serialise: Infinity, load: Infinity };
      let firstLoad = 0, bytes = 0;
      for (let r = 0; r < runs; r++) {
        let t = performance.now();
        const mods = srcs.map((s, k) => parseModule(s, { file: files[k] }));
        best.parse = Math.min(best.parse, performance.now() - t);
        t = performance.now();
        for (const m of mods) printModule(m);
        best.print = Math.min(best.print, performance.now() - t);
        t = performance.now();
        const bins = mods.map(serialiseModule);
        best.serialise = Math.min(best.serialise, performance.now() - t);
        bytes = bins.reduce((a, b) => a + b.length, 0);
        t = performance.now();
        for (const b of bins) loadModule(b);
        const load = performance.now() - t;
        if (r === 0) firstLoad = load;
        best.load = Math.min(best.load, load);
      }
      const text = srcs.reduce((a, s) => a + s.length, 0);
      process.stdout.write([
        `${files.length} files, ${(text / 1e6).toFixed(2)} MB of IR text, ${(bytes / 1e6).toFixed(2)} MB serialised; best of ${runs} runs:`,
        `  parse     ${best.parse.toFixed(0)} ms`,
        `  print     ${best.print.toFixed(0)} ms`,
        `  serialise ${best.serialise.toFixed(0)} ms`,
        `  load      ${best.load.toFixed(0)} ms (first run ${firstLoad.toFixed(0)} ms)`,
      ].join("\n") + "\n");
    });
  return ir;
}
