// The LLVM backend's peeled first iteration (src/codegen/peel.ts): the
// module's shape (entry and reload enter the peeled copy, the latch merges
// it with the back edge, only the loop's exits store the iteration count),
// and what it is for: after clang's -O2, the loop no longer checks a type
// tag that each iteration stores as a constant and the next one loads.
import { execFileSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import { IRBuilder, Instruction, Module, addBlock, addFunction, constInt, functionType, i1, i8, i32, i64, ptr, voidType } from "../../src/ykir/index.js";
import type { Function, Value } from "../../src/ykir/index.js";
import { GUARD_FN, type GuardInfo, type Trace } from "../../src/trace-ir/trace.js";
import { verifyTrace } from "../../src/trace-ir/verify.js";
import { assignDeoptSources } from "../../src/codegen/deopt-sources.js";
import { emitLLVM } from "../../src/codegen/llvm.js";

/**
 * live struct { [16 x i8], ptr base (16), i64 n (24) }; a guest register
 * at base: value (i64) at 0, tag (i8) at 8. Each iteration checks the tag
 * is 3 (guard 0), adds 1 to the value, stores value and tag 3, and leaves
 * when the value reaches n (guard 1).
 */
function tagged(): Trace {
  const m = new Module();
  const fn: Function = addFunction(m, "t", functionType(i64, [ptr]), { argNames: ["live"] });
  const guardFn = addFunction(m, GUARD_FN, functionType(voidType, [i1, i32]));
  const entry = addBlock(fn, "entry");
  const loop = addBlock(fn, "loop");
  const b = new IRBuilder().atEnd(entry);
  const base = b.load(ptr, b.gep(i8, fn.args[0]!, [constInt(i64, 16)], ["inbounds"]));
  const n = b.load(i64, b.gep(i8, fn.args[0]!, [constInt(i64, 24)], ["inbounds"]));
  b.br(loop);
  b.atEnd(loop);
  const guard = (c: Value, id: number, vals: Value[]) => {
    const g = new Instruction("call", voidType, [c, constInt(i32, id), guardFn], null);
    g.fnType = guardFn.fnType;
    g.bundles = [{ tag: "deopt", values: vals }];
    loop.append(g);
  };
  const tagAddr = b.gep(i8, base, [constInt(i64, 8)], ["inbounds"]);
  const tag = b.load(i8, tagAddr);
  guard(b.icmp("eq", tag, constInt(i8, 3)), 0, [tag]);
  b.atEnd(loop);
  const v = b.load(i64, base);
  const inc = b.add(v, constInt(i64, 1));
  b.store(inc, base);
  b.store(constInt(i8, 3), tagAddr);
  guard(b.icmp("ne", inc, n), 1, [inc]);
  b.atEnd(loop).br(loop);
  const frame = { fn: "interp", resumePoint: 7, kind: "term", bufSize: 16, slots: [{ offset: 0, size: 8, source: 0 as const, payload: 0n }] };
  const guards: GuardInfo[] = [0, 1].map((id) => ({ id, what: `br interp#${id} -> 1`, frames: [{ ...frame, slots: [{ ...frame.slots[0]!, size: id ? 8 : 1 }] }] }));
  return { name: "t", startFn: "interp", site: 0, liveTypes: [ptr, i64], liveOffsets: [16, 24], liveSize: 32, module: m, fn, guards, recordedBlocks: 2 };
}

const o2 = (text: string) => execFileSync("opt-19", ["-passes=default<O2>", "-S", "-"], { input: text, encoding: "utf8" });
/** Deopt calls of guard 0 (its bundle carries the i8 tag) or guard 1 (the i64 value); clang moves the statepoint-id attribute into a group. */
const exitCalls = (text: string, id: number) => (text.match(new RegExp(`\\[ "deopt"\\(${id ? "i64" : "i8"} `, "g")) ?? []).length;

describe("peeling the first iteration", () => {
  test("entry and reload enter the peeled copy; the latch merges it with the back edge; only the loop's exits store the count", () => {
    const t = tagged();
    expect(verifyTrace(t)).toEqual([]);
    assignDeoptSources(t);
    const text = emitLLVM(t, { peel: true });
    execFileSync("llvm-as-19", ["-o", "/dev/null", "-"], { input: text });
    expect(text).toMatch(/\nentry:\n(  .*\n)*  %(\d+) = load i64, ptr @t_iters, align 8\n  br label %peel\n/);
    expect(text).toMatch(/\nreload:\n(  .*\n)*  br label %peel\n/);
    // Every guard has two exits, one per copy; only the loop's store the count.
    expect(exitCalls(text, 0)).toBe(2);
    expect(exitCalls(text, 1)).toBe(2);
    const exits = text.split(/\n(?=g\d\.exit(?:\.\d+)?:)/).slice(1).map((s) => s.split("\n\n")[0]!);
    expect(exits).toHaveLength(4);
    expect(exits.filter((e) => /store i64 %\d+, ptr @t_iters/.test(e))).toHaveLength(2);
    // The loop header's only way in is the latch, which both copies reach.
    expect(text).toMatch(/\nlatch:\n(  %\d+ = phi [^\n]*\n)+  br label %loop\n/);
    expect(text).not.toMatch(/\nlatch:(\n.*)*store i64 [^\n]*@t_iters[^\n]*\n  br label %loop/);
    expect(text.match(/label %loop\b/g)).toHaveLength(1); // the latch's: the peel's last part goes to the latch too
  });

  test("after clang's -O2 the loop's copy of the tag check is gone and its exit test stays", () => {
    const peeled = tagged();
    assignDeoptSources(peeled);
    const a = o2(emitLLVM(peeled, { peel: true }));
    expect(exitCalls(a, 0)).toBe(1); // the peel's: memory may hold any tag on the first iteration
    expect(exitCalls(a, 1)).toBeGreaterThanOrEqual(1);
    // Without peeling both checks stay in the loop, each once.
    const plain = tagged();
    assignDeoptSources(plain);
    const b = o2(emitLLVM(plain, { peel: false }));
    expect(exitCalls(b, 0)).toBe(1);
    expect(exitCalls(b, 1)).toBe(1);
    expect((b.match(/load i8/g) ?? []).length).toBe(1);
    expect((a.match(/load i8/g) ?? []).length).toBe(1);
  });
});
