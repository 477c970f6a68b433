// Runs clang-19 to turn C into LLVM 19 text, and reads .ll files into ykir.
import { readFile } from "node:fs/promises";
import { execa } from "execa";
import { parseModule } from "./parser.js";
import type { Module } from "../ykir/module.js";

export const LLVM_BIN = process.env.YKTS_LLVM_BIN ?? "/usr/lib/llvm-19/bin";

/** Compiles a C file to textual IR at `out` with `clang -S -emit-llvm`; extra flags are passed through. */
export async function compileCToIR(cFile: string, out: string, flags: string[] = []): Promise<void> {
  const r = await execa(`${LLVM_BIN}/clang`, ["-S", "-emit-llvm", ...flags, cFile, "-o", out], { reject: false });
  if (r.exitCode !== 0) throw new Error(`clang failed on ${cFile} (${flags.join(" ")}):\n${r.stderr}`);
}

/** Reads and parses a .ll file (bytes read as latin1: LLVM strings are bytes). */
export async function parseIRFile(file: string): Promise<Module> {
  const src = await readFile(file, "latin1");
  return parseModule(src, { file });
}
