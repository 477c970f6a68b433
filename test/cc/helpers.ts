// Shared by the driver, runtime and language tests: makes sure dist/ has the
// driver and jitd built from the current sources (tests run them as the
// build system and the runtime would: as separate node processes), and runs
// commands in scratch directories.
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = fileURLToPath(new URL("../../", import.meta.url)).replace(/\/$/, "");
export const CC_MAIN = `${REPO}/dist/cc/main.js`;
export const CLANG = existsSync("/usr/lib/llvm-19/bin/clang") ? "/usr/lib/llvm-19/bin/clang" : "clang-19";

function newestMtime(dir: string): number {
  let t = 0;
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newestMtime(p) : s.mtimeMs);
  }
  return t;
}

/** Rebuilds dist/ with tsc when the driver's or jitd's sources are newer. */
export function ensureBuilt(): void {
  const want = [`${REPO}/dist/cc/main.js`, `${REPO}/dist/jitd/main.js`, `${REPO}/dist/cli/cc.js`];
  const src = Math.max(newestMtime(`${REPO}/src/cc`), newestMtime(`${REPO}/src/jitd`), statSync(`${REPO}/src/cli/cc.ts`).mtimeMs);
  if (want.every((f) => existsSync(f) && statSync(f).mtimeMs >= src)) return;
  // Errors in other folders must not stop us: tsc emits anyway.
  spawnSync(process.execPath, [`${REPO}/node_modules/typescript/bin/tsc`, "-p", `${REPO}/tsconfig.json`], { stdio: "ignore" });
  for (const f of want) if (!existsSync(f)) throw new Error(`${f} missing after tsc: run npm run build and read its errors`);
}

export function scratch(prefix = "ykts-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface Run { status: number; stdout: string; stderr: string }

export function run(cmd: string, args: string[], opts: { cwd?: string; env?: Record<string, string | undefined>; input?: string } = {}): Run {
  const env: Record<string, string | undefined> = { ...process.env };
  // The tests control the JIT's environment themselves.
  for (const k of Object.keys(env)) if (k.startsWith("YKTS_")) delete env[k];
  Object.assign(env, opts.env ?? {});
  const r: SpawnSyncReturns<string> = spawnSync(cmd, args, { cwd: opts.cwd, env: env as NodeJS.ProcessEnv, encoding: "utf8", input: opts.input, timeout: 120_000 });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** `ykts cc <args>` through the driver's own entry point. */
export function ykcc(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined> } = {}): Run {
  return run(process.execPath, [CC_MAIN, ...args], opts);
}
