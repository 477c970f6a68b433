// The Lua corpus (test/lua) run with plain minilua, built once with clang-19:
// every program must print and exit exactly as lua5.4 did. The built binary
// is copied aside first, so that a rebuild of minilua elsewhere while the
// suite runs cannot make programs fail for want of a binary.
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { buildMinilua, CORPUS_DIR, defineCorpusSuite, MINILUA_BINARY } from "./corpus.js";

const snapshotDir = join(tmpdir(), `ykts-corpus-${process.pid}`);
const snapshot = join(snapshotDir, "minilua");

defineCorpusSuite({
  binary: snapshot,
  name: "minilua",
  prognames: ["minilua"],
  setup: async () => {
    await buildMinilua();
    mkdirSync(snapshotDir, { recursive: true });
    copyFileSync(join(CORPUS_DIR, MINILUA_BINARY), snapshot);
  },
});

afterAll(() => rmSync(snapshotDir, { recursive: true, force: true }));
