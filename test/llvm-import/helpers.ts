// Shared by the round-trip tests: compile C with clang-19 at several levels
// with bounded parallelism, and the Lua sources from Debian.
import { execa } from "execa";
import { compileCToIR } from "../../src/llvm-import/driver.js";
import { mapLimit } from "../../src/llvm-import/roundtrip.js";

export const JOBS = 2;

export async function compileAll(jobs: { c: string; out: string; flags: string[] }[]): Promise<void> {
  await mapLimit(jobs, JOBS, (j) => compileCToIR(j.c, j.out, j.flags));
}

/** Runs scripts/fetch-lua-sources.sh and returns the unpacked Lua tree. */
export async function luaSources(): Promise<string> {
  const r = await execa("bash", [new URL("../../scripts/fetch-lua-sources.sh", import.meta.url).pathname]);
  return r.stdout.trim().split("\n").pop()!;
}
