// The corpus expectations are lua5.4's: regenerating them must change nothing.
import { execa } from "execa";
import { join } from "node:path";
import { expect, test } from "vitest";
import { REPO_ROOT } from "./corpus.js";

test("test/lua expectations are exactly what lua5.4 produces", async () => {
  const r = await execa("bash", [join(REPO_ROOT, "scripts/check-lua-expected.sh")], { reject: false, all: true });
  expect(r.exitCode, r.all).toBe(0);
});
