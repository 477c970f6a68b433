// Runs one of jitd's compilers (clang, ld.lld, tcc) and collects what it
// printed. jitd does not use execa, which the rest of ykts runs tools with:
// importing it and its ~100 modules took ~100 ms of jitd's start, all of it
// on the path to the first trace (docs/architecture.md, "jitd loads the
// program's ykir lazily").
import { spawn, type ChildProcess } from "node:child_process";

export interface ToolResult {
  /** The exit status, or null when a signal ended it (then `signal`). */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** stdout and stderr as they came, interleaved. */
  all: string;
  stdout: string;
}

/** Runs `cmd args` to its end; `started` gets the child (to kill it early). A tool that cannot be started gives exit code 127 and the reason. */
export function runTool(cmd: string, args: string[], started?: (p: ChildProcess) => void): Promise<ToolResult> {
  return new Promise((resolve) => {
    const all: Buffer[] = [], out: Buffer[] = [];
    let p: ChildProcess;
    try {
      p = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    } catch (e) {
      resolve({ exitCode: 127, signal: null, all: `${cmd}: ${(e as Error).message}`, stdout: "" });
      return;
    }
    started?.(p);
    p.stdout!.on("data", (b: Buffer) => { all.push(b); out.push(b); });
    p.stderr!.on("data", (b: Buffer) => all.push(b));
    let failed: string | null = null;
    p.on("error", (e) => { failed = `${cmd}: ${e.message}`; });
    p.on("close", (code, signal) => {
      const text = Buffer.concat(all).toString("utf8");
      resolve({ exitCode: failed ? 127 : code, signal, all: failed ? `${failed}\n${text}` : text, stdout: Buffer.concat(out).toString("utf8") });
    });
  });
}
