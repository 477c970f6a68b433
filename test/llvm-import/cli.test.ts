// The `ykts ir` commands, run in-process (the `ir` command group as main.ts
// registers it): output, exit status and error messages (file:line:col).
import { describe, it, expect, vi, afterEach } from "vitest";
import { mkdtemp, writeFile, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { irCommand } from "../../src/cli/ir.js";

const main = (argv: string[]) => new Command().name("ykts").addCommand(irCommand()).parseAsync(argv);

const HAND = new URL("../fixtures/ll/handwritten.ll", import.meta.url).pathname;

async function run(...args: string[]): Promise<{ out: string; exitCode: number | undefined }> {
  let out = "";
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("latin1");
    return true;
  });
  process.exitCode = undefined;
  try {
    await main(["node", "ykts", ...args]);
  } finally {
    spy.mockRestore();
  }
  const exitCode = process.exitCode as number | undefined;
  process.exitCode = undefined;
  return { out, exitCode };
}

afterEach(() => { process.exitCode = undefined; });

describe("ykts ir", () => {
  it("stats counts functions, blocks and opcodes", async () => {
    const { out } = await run("ir", "stats", HAND);
    expect(out).toMatch(/^functions: +8 defined, 10 declared$/m);
    expect(out).toMatch(/^ {2}atomicrmw +3$/m);
  });

  it("roundtrip reports one line per file and exits 0 when all are identical", async () => {
    const { out, exitCode } = await run("ir", "roundtrip", HAND);
    expect(out).toContain(`ok   ${HAND}: identical`);
    expect(out).toContain("1/1 files round-trip");
    expect(exitCode).toBeUndefined();
  });

  it("serialise then load prints what print prints", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ykts-cli-"));
    try {
      const bin = join(dir, "m.ykir");
      await run("ir", "serialise", HAND, "-o", bin);
      expect((await readFile(bin)).subarray(0, 4).toString()).toBe("YKIR");
      const loaded = await run("ir", "load", bin);
      const printed = await run("ir", "print", HAND);
      expect(loaded.out).toBe(printed.out);
      expect(printed.out).toContain("define i64 @flags(");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a syntax error names file:line:column and the token; roundtrip fails with exit 1", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ykts-cli-"));
    try {
      const bad = join(dir, "bad.ll");
      await writeFile(bad, "define i32 @f() {\n  %x = add i32 1, ret\n}\n");
      await expect(run("ir", "print", bad)).rejects.toThrow(`${bad}:2:19: expected a constant of type i32, found 'ret'`);
      const { out, exitCode } = await run("ir", "roundtrip", bad, HAND);
      expect(out).toContain(`FAIL ${bad}: parse/print error`);
      expect(out).toContain("1/2 files round-trip");
      expect(exitCode).toBe(1);
      await expect(run("ir", "load", bad)).rejects.toThrow(`${bad}: not a serialised ykir module`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
