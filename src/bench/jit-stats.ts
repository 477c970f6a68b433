// For the JIT engine: one extra, untimed run per benchmark with YKTS_LOG and
// YKTS_STATS on, from which come the number of traces compiled and
// installed, the compile latency of each trace (jitd's own measurement:
// trace building, code generation and clang), side traces, trace entries
// linked from another trace, and the deopt count.
import { execa } from "execa";
import { median } from "./report.js";

export interface JitStats {
  bench: string;
  compiled: number;
  installed: number;
  entered: number;
  deopts: number;
  /** Side traces installed, and trace entries straight after another trace (statistics). */
  sideInstalled: number;
  linked: number;
  /** Compile latency of each trace in milliseconds. */
  latencies: number[];
  /** Recordings jitd could not compile, by reason (first words). */
  notCompiled: Map<string, number>;
}

export async function collectJitStats(bench: string, command: string, args: string[], env: Record<string, string>, cwd: string, timeoutMs: number): Promise<JitStats> {
  const r = await execa(command, args, {
    cwd, env: { ...env, YKTS_LOG: "1", YKTS_STATS: "1" }, extendEnv: false, reject: false, timeout: timeoutMs, stdout: "ignore",
  });
  const s: JitStats = { bench, compiled: 0, installed: 0, entered: 0, deopts: 0, sideInstalled: 0, linked: 0, latencies: [], notCompiled: new Map() };
  for (const line of String(r.stderr ?? "").split("\n")) {
    const c = /^ykts jitd: (?:side )?recording \d+ .*: compiled \S+: .*build ([\d.]+) ms, codegen ([\d.]+) ms, clang ([\d.]+) ms/.exec(line);
    if (c) { s.compiled++; s.latencies.push(Number(c[1]) + Number(c[2]) + Number(c[3])); continue; }
    const n = /^ykts jitd: (?:side )?recording \d+ [^:]*: (?:recording valid; )?(.*)$/.exec(line);
    if (n && !line.includes(": compiled ")) {
      const why = n[1]!.replace(/\(in .*$/, "").replace(/\d+/g, "N").slice(0, 60).trim();
      s.notCompiled.set(why, (s.notCompiled.get(why) ?? 0) + 1);
      continue;
    }
    const st = /^ykts-stats: (traces_installed|traces_entered|deopts|side_traces_installed|traces_linked)=(\d+)$/.exec(line);
    if (st) {
      const v = Number(st[2]);
      if (st[1] === "traces_installed") s.installed = v;
      else if (st[1] === "traces_entered") s.entered = v;
      else if (st[1] === "side_traces_installed") s.sideInstalled = v;
      else if (st[1] === "traces_linked") s.linked = v;
      else s.deopts = v;
    }
  }
  return s;
}

export function renderJitTable(rows: JitStats[]): string {
  const out = [
    "| benchmark | traces compiled (side traces included) | installed | side traces installed | entered | linked | deopts | median compile (ms) | max compile (ms) | not compiled (most common reason) |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
  ];
  const all: number[] = [];
  for (const r of rows) {
    all.push(...r.latencies);
    const top = [...r.notCompiled.entries()].sort((a, b) => b[1] - a[1])[0];
    out.push(`| ${r.bench} | ${r.compiled} | ${r.installed} | ${r.sideInstalled} | ${r.entered} | ${r.linked} | ${r.deopts} | ${r.latencies.length ? median(r.latencies).toFixed(0) : "-"} | ${r.latencies.length ? Math.max(...r.latencies).toFixed(0) : "-"} | ${top ? `${top[1]}× ${top[0]}` : ""} |`);
  }
  if (all.length) out.push(`| **all** | ${rows.reduce((s, r) => s + r.compiled, 0)} |  |  |  |  |  | ${median(all).toFixed(0)} | ${Math.max(...all).toFixed(0)} |  |`);
  return out.join("\n");
}
