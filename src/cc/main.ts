// Direct entry point of the driver (dist/cc/main.js): `node dist/cc/main.js
// <clang args>` is `ykts cc <clang args>` without loading the rest of the
// command line; the tests use it to keep per-file
// start-up low.
import { runCc } from "./driver.js";

runCc(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e) => {
    process.stderr.write(`ykts cc: internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
