// The runtime object every `ykts cc` link adds: native/shim.c and
// native/deopt-entry.S compiled once
// with the jitd and node paths baked in, cached under <repo>/.cache/ykts/
// keyed by a hash of everything that goes into it, so a link costs one
// clang run only the first time (or after the runtime changes).
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { CLANG, JITD_ENTRY, NATIVE_DIR, REPO_ROOT } from "./toolchain.js";

export class RuntimeBuildError extends Error {}

export const RUNTIME_SOURCES = ["shim.c", "shim.h", "ykts.h", "deopt-entry.S"];
const RUNTIME_CFLAGS = ["-O2", "-fPIC", "-Wall", "-std=gnu11"];

export function cacheDir(): string {
  return process.env.YKTS_CACHE_DIR || `${REPO_ROOT}/.cache/ykts`;
}

/** Defines that bake the default jitd command into the runtime. */
export function runtimeDefines(): string[] {
  const q = (s: string) => JSON.stringify(s);
  return [`-DYKTS_NODE_DEFAULT=${q(process.execPath)}`, `-DYKTS_JITD_DEFAULT=${q(JITD_ENTRY)}`];
}

/** Returns the path of the runtime object, compiling it if the cache has none. */
export function runtimeObject(): string {
  const h = createHash("sha256");
  for (const f of RUNTIME_SOURCES) {
    h.update(f);
    h.update(readFileSync(`${NATIVE_DIR}/${f}`));
  }
  const flags = [...RUNTIME_CFLAGS, ...runtimeDefines()];
  h.update(JSON.stringify([CLANG, flags]));
  const dir = cacheDir();
  const obj = `${dir}/shim-${h.digest("hex").slice(0, 16)}.o`;
  if (existsSync(obj)) return obj;
  mkdirSync(dir, { recursive: true });
  const tmp = `${obj}.${process.pid}`;
  const step = (what: string, args: string[]) => {
    const r = spawnSync(CLANG, args, { encoding: "utf8" });
    if (r.error || r.status !== 0)
      throw new RuntimeBuildError(`${what}: building the runtime failed:\n${r.error?.message ?? ""}${r.stderr ?? ""}`);
  };
  try {
    step("native/shim.c", [...flags, "-I", NATIVE_DIR, "-c", `${NATIVE_DIR}/shim.c`, "-o", `${tmp}.shim.o`]);
    step("native/deopt-entry.S", ["-c", `${NATIVE_DIR}/deopt-entry.S`, "-o", `${tmp}.deopt.o`]);
    // One relocatable object, so a link (and `ykts config --libs`) names one file.
    step("the runtime object", ["-r", `${tmp}.shim.o`, `${tmp}.deopt.o`, "-o", `${tmp}.tmp`]);
    renameSync(`${tmp}.tmp`, obj); // atomic: concurrent makes (-j) never see half an object
  } finally {
    for (const f of [`${tmp}.shim.o`, `${tmp}.deopt.o`, `${tmp}.tmp`]) rmSync(f, { force: true });
  }
  return obj;
}
