// A jitd that saves what the runtime sends it: run the interpreter with
//   YKTS_JITD=$PWD/scripts/jitd-tee.mjs YKTS_TEE_FILE=out.bin ...
// and this starts dist/jitd/main.js behind a pipe, copying every request
// byte into YKTS_TEE_FILE (replay it with scripts/replay-recordings.mjs).
import { spawn } from "node:child_process";
import { createReadStream, openSync, writeSync } from "node:fs";

const args = process.argv.slice(2);
const k = args.indexOf("--fds");
const [inFd, outFd] = args[k + 1].split(",").map(Number);
const save = openSync(process.env.YKTS_TEE_FILE ?? "jitd-requests.bin", "w");
const jitd = new URL("../dist/jitd/main.js", import.meta.url).pathname;
const child = spawn(process.execPath, [jitd, ...args.map((a, i) => (i === k + 1 ? "3,4" : a))], {
  stdio: ["ignore", "inherit", "inherit", "pipe", outFd],
});
createReadStream("", { fd: inFd })
  .on("data", (c) => { writeSync(save, c); child.stdio[3].write(c); })
  .on("end", () => child.stdio[3].end())
  .on("error", () => child.stdio[3].end());
child.on("exit", (code) => process.exit(code ?? 0));
