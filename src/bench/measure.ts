// Runs one benchmark process and measures it: wall time with the monotonic
// clock around the process, peak RSS from GNU time (`/usr/bin/time -f %M`)
// when it is installed, and the stdout that holds the checksum.
import { execa } from "execa";
import { existsSync, readFileSync } from "node:fs";
import { file as tmpFile } from "tmp-promise";

export const GNU_TIME = "/usr/bin/time";

export interface Measurement {
  wallSeconds: number;
  /** Peak resident set size in KiB, or null when GNU time is missing. */
  peakRssKb: number | null;
  /** stdout without surrounding whitespace: the checksum. */
  checksum: string;
  /** Non-null when the process failed: exit status/signal and stderr's end. */
  failure: string | null;
}

export async function measure(
  command: string,
  args: string[],
  env: Record<string, string>,
  cwd: string,
  timeoutMs: number,
): Promise<Measurement> {
  const useTime = existsSync(GNU_TIME);
  const rssFile = useTime ? await tmpFile({ prefix: "ykts-bench-rss-" }) : null;
  const [cmd, argv] = rssFile
    ? [GNU_TIME, ["-f", "%M", "-o", rssFile.path, command, ...args]]
    : [command, args];
  const start = process.hrtime.bigint();
  // A process group of its own, killed as a whole on timeout: GNU time's
  // child (the interpreter) and whatever it started would otherwise keep
  // running, and keep the pipes open that this waits on.
  const child = execa(cmd, argv, {
    cwd,
    env,
    reject: false,
    detached: true,
    stdin: "ignore",
    maxBuffer: 16 * 1024 * 1024,
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try { if (child.pid) process.kill(-child.pid, "SIGKILL"); } catch { /* already gone */ }
  }, timeoutMs);
  const r = await child;
  clearTimeout(timer);
  const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  let peakRssKb: number | null = null;
  if (rssFile) {
    // GNU time writes "Command exited with non-zero status N" before the
    // figure when the command fails: the number is on the last line.
    const lines = readFileSync(rssFile.path, "utf8").trim().split("\n");
    const kb = Number(lines[lines.length - 1]);
    peakRssKb = Number.isFinite(kb) && kb > 0 ? kb : null;
    await rssFile.cleanup();
  }
  let failure: string | null = null;
  if (timedOut) failure = `timed out after ${timeoutMs / 1000} s`;
  else if (r.exitCode !== 0) {
    const err = String(r.stderr ?? "").trim().split("\n").slice(-2).join(" | ");
    failure = `exit ${r.exitCode ?? r.signal}${err ? `: ${err}` : ""}`;
  }
  return { wallSeconds, peakRssKb, checksum: String(r.stdout ?? "").trim(), failure };
}
