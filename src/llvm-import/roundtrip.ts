// The parser's main check: parse a .ll file, print it back, assemble both the
// original and the printed text with llvm-as, then compare
//   1. llvm-as accepts the printed text (it is valid LLVM 19 IR);
//   2. `llvm-dis` of both bitcode files, minus the ModuleID comment (and the
//      bitcode file path in a ThinLTO summary), is
//      identical: this covers everything in the module (globals, declarations,
//      attributes, metadata, function bodies), since llvm-dis renumbers
//      values, attribute groups and metadata in its own canonical order;
//   3. llvm-diff of the two bitcode files (function bodies). llvm-diff also
//      complains about functions it cannot match even against an identical
//      copy (seen with indirectbr over blockaddress targets), so its report is
//      a failure only when the llvm-dis texts differ too.
import { readFile, writeFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, basename } from "node:path";
import { execa } from "execa";
import { parseModule } from "./parser.js";
import { printModule } from "../ykir/printer.js";
import { LLVM_BIN } from "./driver.js";

export interface RoundTripResult {
  file: string;
  ok: boolean;
  /** One-line summary. */
  summary: string;
  /** First differences or the error, when not ok. */
  details?: string;
  /** llvm-diff reported something although the llvm-dis texts are identical. */
  llvmDiffNoise?: boolean;
  parseMs?: number;
  printMs?: number;
}

export async function roundTripFile(file: string): Promise<RoundTripResult> {
  const dir = await mkdtemp(join(tmpdir(), "ykts-rt-"));
  try {
    let src: string;
    try { src = await readFile(file, "latin1"); }
    catch (e) { return { file, ok: false, summary: "cannot read the file", details: (e as Error).message }; }
    let t0 = performance.now();
    let text: string;
    let parseMs = 0;
    try {
      const m = parseModule(src, { file });
      parseMs = performance.now() - t0;
      t0 = performance.now();
      text = printModule(m);
    } catch (e) {
      return { file, ok: false, summary: "parse/print error", details: e instanceof Error ? e.message : String(e) };
    }
    const printMs = performance.now() - t0;
    const base = basename(file).replace(/\.ll$/, "");
    const printed = join(dir, `${base}.printed.ll`);
    await writeFile(printed, text, "latin1");
    const origBc = join(dir, "orig.bc"), newBc = join(dir, "printed.bc");
    const a1 = await execa(`${LLVM_BIN}/llvm-as`, [file, "-o", origBc], { reject: false });
    if (a1.exitCode !== 0) return { file, ok: false, summary: "llvm-as rejects the original", details: a1.stderr };
    const a2 = await execa(`${LLVM_BIN}/llvm-as`, [printed, "-o", newBc], { reject: false });
    if (a2.exitCode !== 0) return { file, ok: false, summary: "llvm-as rejects the printed text", details: a2.stderr, parseMs, printMs };
    const [d1, d2, diff] = await Promise.all([
      execa(`${LLVM_BIN}/llvm-dis`, [origBc, "-o", "-"], { reject: false, stripFinalNewline: false }),
      execa(`${LLVM_BIN}/llvm-dis`, [newBc, "-o", "-"], { reject: false, stripFinalNewline: false }),
      execa(`${LLVM_BIN}/llvm-diff`, [origBc, newBc], { reject: false }),
    ]);
    // the ModuleID comment and a ThinLTO summary's module path name the bitcode file, which differs
    const norm = (s: string) => s.replace(/^; ModuleID = .*\n/, "").replace(/^(\^\d+ = module: \(path: )"[^"]*"/gm, "$1\"\"");
    const t1 = norm(d1.stdout), t2 = norm(d2.stdout);
    const diffClean = diff.exitCode === 0 && diff.stderr.trim() === "" && diff.stdout.trim() === "";
    if (t1 === t2) {
      return {
        file, ok: true, parseMs, printMs, llvmDiffNoise: !diffClean,
        summary: diffClean ? "identical (llvm-diff clean, llvm-dis texts equal)"
          : "identical (llvm-dis texts equal; llvm-diff reports unmatched blocks it also reports against an identical copy)",
      };
    }
    return {
      file, ok: false, parseMs, printMs, summary: "modules differ",
      details: [(diff.stderr + diff.stdout).split("\n").slice(0, 20).join("\n"), firstTextDiff(t1, t2)].filter(Boolean).join("\n"),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The first differing lines of two texts, for the report. */
export function firstTextDiff(a: string, b: string, context = 2): string {
  const la = a.split("\n"), lb = b.split("\n");
  let k = 0;
  while (k < la.length && k < lb.length && la[k] === lb[k]) k++;
  if (k === la.length && k === lb.length) return "";
  const out = [`llvm-dis texts differ at line ${k + 1}:`];
  for (let j = Math.max(0, k - context); j < k; j++) out.push(`  ${la[j]}`);
  for (let j = k; j < Math.min(la.length, k + 3); j++) out.push(`- ${la[j]}`);
  for (let j = k; j < Math.min(lb.length, k + 3); j++) out.push(`+ ${lb[j]}`);
  return out.join("\n");
}

/** Runs fn over items with at most `limit` in flight, keeping the order of results. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => { while (next < items.length) { const k = next++; out[k] = await fn(items[k]!); } };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
