// The LLVM tier's last step (src/jitd/trace-object.ts): clang's object of a
// trace-shaped module linked by tcc and by ld.lld has its stackmap section,
// and a failing tcc falls back to ld.lld.
import { writeFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { CLANG, scratch } from "../cc/helpers.js";
import { readSection } from "../../src/jitd/elf.js";
import { runTool } from "../../src/jitd/run-tool.js";
import { buildTraceObject, DEFAULT_CLANG_OPT, parseClangOpt, parseTraceLinker, type TraceToolchain } from "../../src/jitd/trace-object.js";

// A trace-shaped module: one loop, a guard whose exit calls __ykts_deopt with a deopt bundle.
const MODULE = `target triple = "x86_64-pc-linux-gnu"
@side = global [1 x ptr] zeroinitializer, align 8
define i64 @trace(ptr %live) {
entry:
  br label %loop
loop:
  %p = getelementptr inbounds i8, ptr %live, i64 8
  %v = load i64, ptr %p
  %w = add i64 %v, 1
  store i64 %w, ptr %p
  %c = icmp slt i64 %w, 100
  br i1 %c, label %loop, label %exit, !prof !0
exit:
  %r = call i64 @__ykts_deopt(i32 0) [ "deopt"(i64 %w, ptr %live) ]
  ret i64 %r
}
declare i64 @__ykts_deopt(i32) cold
!0 = !{!"branch_weights", i32 1048575, i32 1}
`;

const toolchain = (linker: "tcc" | "lld", tcc = "tcc"): TraceToolchain => ({ clang: CLANG, clangOpt: DEFAULT_CLANG_OPT, tcc, linker });
const run = (cmd: string, args: string[]) => runTool(cmd, args);

describe("trace objects", () => {
  test("flags and linker from the environment", () => {
    expect(parseClangOpt(undefined)).toEqual(DEFAULT_CLANG_OPT);
    expect(parseClangOpt(" -O1  -mllvm -fast-isel ")).toEqual(["-O1", "-mllvm", "-fast-isel"]);
    expect(parseTraceLinker(undefined)).toBe("tcc");
    expect(parseTraceLinker("lld")).toBe("lld");
    expect(() => parseTraceLinker("gold")).toThrow(/expected tcc or lld/);
  });

  for (const [name, t] of [["tcc", toolchain("tcc")], ["ld.lld", toolchain("lld")], ["ld.lld after a failing tcc", toolchain("tcc", "/nonexistent/tcc")]] as const)
    test(`linked by ${name}: a shared object with .llvm_stackmaps`, async () => {
      const b = `${scratch("ykts-trace-object-")}/t`;
      writeFileSync(`${b}.ll`, MODULE);
      const r = await buildTraceObject(t, b, run);
      expect(r).toEqual({ ok: true });
      const sm = readSection(`${b}.so`, ".llvm_stackmaps");
      expect(sm?.[0]).toBe(3); // stackmap version 3
    });

  test("a clang failure is a reason", async () => {
    const b = `${scratch("ykts-trace-object-")}/t`;
    writeFileSync(`${b}.ll`, "this is not LLVM IR\n");
    const r = await buildTraceObject(toolchain("tcc"), b, run);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/^clang failed on/);
  });
});
