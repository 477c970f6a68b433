// jitd's own entry point (dist/jitd/main.js), what the runtime starts: it
// skips the ykts command line (commander and every subcommand) so that the
// trace compiler is up as soon as Node is. `ykts jitd` runs the same server.
import { setPriority } from "node:os";
import { parseFds, runJitd } from "./server.js";

// The interpreter comes first: jitd (and the clang it runs, which inherits
// this) yields the CPU to it on a busy machine (YKTS_JITD_NICE, default 10).
try {
  setPriority(Number(process.env.YKTS_JITD_NICE ?? 10));
} catch {
  // not permitted: run at normal priority
}

function arg(name: string): string | null {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : null;
}

const pid = arg("--pid");
Promise.resolve()
  .then(() => runJitd({ exe: arg("--exe"), pid: pid ? Number(pid) : null, fds: parseFds(arg("--fds")) }))
  .then(
  (code) => { process.exitCode = code; },
  (e) => {
    process.stderr.write(`ykts jitd: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
