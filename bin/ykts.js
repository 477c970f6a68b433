#!/usr/bin/env node
// Entry point of the `ykts` command; the CLI lives in src/cli (compiled to dist/).
import { main } from "../dist/cli/main.js";
main(process.argv).catch((err) => {
  process.stderr.write(`ykts: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
