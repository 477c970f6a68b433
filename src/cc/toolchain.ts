// Where `ykts cc` finds its tools and the repository's own files. LLVM 19's
// tools are taken from /usr/lib/llvm-19/bin (Debian's layout, see
// scripts/setup-toolchain.sh) and fall back to the versioned names on PATH.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const LLVM_BIN = "/usr/lib/llvm-19/bin";

function tool(name: string, fallback: string): string {
  const p = `${LLVM_BIN}/${name}`;
  return existsSync(p) ? p : fallback;
}

/** The repository root (dist/cc/toolchain.js lives two levels below it). */
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url)).replace(/\/$/, "");
export const NATIVE_DIR = process.env.YKTS_NATIVE_DIR || `${REPO_ROOT}/native`;
/** jitd's entry point, run with node by the runtime (docs/cc.md). */
export const JITD_ENTRY = `${REPO_ROOT}/dist/jitd/main.js`;

export const CLANG = process.env.YKTS_CLANG || tool("clang", "clang-19");
export const OBJCOPY = tool("llvm-objcopy", "llvm-objcopy-19");
export const LD_LLD = tool("ld.lld", "ld.lld-19");
/** The fast tier's compiler (docs/traces.md §7). */
export const TCC = process.env.YKTS_TCC || "tcc";
