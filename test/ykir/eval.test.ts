// The reference evaluator on small ykir functions: arithmetic of odd
// widths, getelementptr over struct layouts, loads and stores through the
// simulated memory (defaults the same in every run, overrides, clobbers),
// intrinsics, and what it refuses: calls it has no model of, instructions
// it does not implement.
import { describe, expect, test } from "vitest";
import { parseModule } from "../../src/llvm-import/parser.js";
import { EvalUnsupported, Evaluator, opaqueModel } from "../../src/ykir/eval.js";
import { SimMemory } from "../../src/ykir/eval-memory.js";

function fnOf(text: string, name = "f") {
  const m = parseModule(text, { file: "t.ll" });
  return m.functions.find((f) => f.name === name)!;
}
const run = (text: string, args: (bigint | number)[], ev = new Evaluator(new SimMemory(1))) => {
  const r = ev.runFunction(fnOf(text), args);
  return r === "stopped" ? r : r.value;
};

describe("reference evaluator", () => {
  test("integer arithmetic wraps in its width; nsw overflow is counted, not refused", () => {
    const ev = new Evaluator(new SimMemory(1));
    const f = `define i17 @f(i17 %a, i17 %b) {
  %s = add nsw i17 %a, %b
  %t = sdiv i17 %s, -3
  %u = lshr i17 %t, 2
  ret i17 %u
}`;
    // 65535 + 1 = 65536 = -65536 in i17 (signed overflow); / -3 = 21845; >> 2 = 5461
    expect(run(f, [65535n, 1n], ev)).toBe(5461n);
    expect(ev.poison).toBe(1);
  });

  test("getelementptr follows struct layout; stores and loads are little-endian", () => {
    const f = `%S = type { i8, i32, [3 x i16], double }
define i64 @f(ptr %p) {
  %a = getelementptr inbounds %S, ptr %p, i64 1, i32 2, i64 2
  store i16 258, ptr %a
  %d = getelementptr inbounds %S, ptr %p, i64 1, i32 3
  store double 1.0, ptr %d
  %b = getelementptr inbounds i8, ptr %a, i64 1
  %lo = load i8, ptr %b
  %x = zext i8 %lo to i64
  %dd = load i64, ptr %d
  %r = add i64 %x, %dd
  ret i64 %r
}`;
    const mem = new SimMemory(1);
    // sizeof(S) = 24; field 2 at 8, element 2 at +4 -> 24 + 12 = 36; field 3 at 24 + 16 = 40
    expect(run(f, [0x1000n], new Evaluator(mem))).toBe(1n + 0x3ff0000000000000n);
    expect(mem.effects()).toEqual(["0x1024: 0201", "0x1028: 000000000000f03f"]);
  });

  test("unwritten memory reads the same bytes on the same seed, other bytes on another; overrides win", () => {
    const f = `define i64 @f(ptr %p) {
  %v = load i64, ptr %p
  ret i64 %v
}`;
    const a = run(f, [0xdead00n], new Evaluator(new SimMemory(7)));
    expect(run(f, [0xdead00n], new Evaluator(new SimMemory(7)))).toBe(a);
    expect(run(f, [0xdead00n], new Evaluator(new SimMemory(8)))).not.toBe(a);
    const o = new SimMemory(7, "wide", [{ epoch: 0, addr: 0xdead02n, bytes: new Uint8Array([0xaa]) }]);
    const b = run(f, [0xdead00n], new Evaluator(o)) as bigint;
    expect((b >> 16n) & 0xffn).toBe(0xaan);
    expect(b & 0xffffn).toBe((a as bigint) & 0xffffn);
  });

  test("a call without a model is refused by name; an opaque model clobbers memory unless the function only reads", () => {
    const f = `declare void @g(ptr)
declare i64 @h(ptr) memory(read)
define i64 @f(ptr %p) {
  %a = load i64, ptr %p
  %r = call i64 @h(ptr %p)
  %b = load i64, ptr %p
  call void @g(ptr %p)
  %c = load i64, ptr %p
  %ab = sub i64 %a, %b
  %ac = sub i64 %a, %c
  %z = icmp eq i64 %ab, 0
  %y = icmp eq i64 %ac, 0
  %zz = zext i1 %z to i64
  %yy = zext i1 %y to i64
  %s = shl i64 %zz, 1
  %o = or i64 %s, %yy
  ret i64 %o
}`;
    expect(() => run(f, [0x5000n])).toThrow(EvalUnsupported);
    expect(() => run(f, [0x5000n])).toThrow("call @h: no model of this function");
    const m = opaqueModel();
    const ev = new Evaluator(new SimMemory(3), { externals: () => m });
    // the read-only call changes nothing (a == b), the other one may have written (a != c)
    expect(run(f, [0x5000n], ev)).toBe(2n);
    expect(ev.calls).toEqual(["h(ptr 0x5000)", "g(ptr 0x5000)"]);
    expect(ev.mem.epoch).toBe(1);
  });

  test("intrinsics: memcpy, memset, umax, ctpop, fabs, with.overflow", () => {
    const f = `declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)
declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)
declare i32 @llvm.umax.i32(i32, i32)
declare i32 @llvm.ctpop.i32(i32)
declare double @llvm.fabs.f64(double)
declare { i8, i1 } @llvm.sadd.with.overflow.i8(i8, i8)
define i64 @f(ptr %p, ptr %q) {
  call void @llvm.memset.p0.i64(ptr %p, i8 7, i64 4, i1 false)
  call void @llvm.memcpy.p0.p0.i64(ptr %q, ptr %p, i64 4, i1 false)
  %w = load i32, ptr %q
  %m = call i32 @llvm.umax.i32(i32 %w, i32 5)
  %c = call i32 @llvm.ctpop.i32(i32 %m)
  %d = call double @llvm.fabs.f64(double -2.5)
  %di = fptosi double %d to i32
  %o = call { i8, i1 } @llvm.sadd.with.overflow.i8(i8 127, i8 1)
  %ob = extractvalue { i8, i1 } %o, 1
  %oz = zext i1 %ob to i32
  %s1 = add i32 %c, %di
  %s2 = add i32 %s1, %oz
  %r = zext i32 %s2 to i64
  ret i64 %r
}`;
    // ctpop(0x07070707) = 12, + 2, + 1
    expect(run(f, [0x1000n, 0x2000n])).toBe(15n);
  });

  test("an instruction it does not implement is refused with its text", () => {
    const f = `define i32 @f(ptr %p) {
  %v = va_arg ptr %p, i32
  ret i32 %v
}`;
    expect(() => run(f, [0x10n])).toThrow(/instruction %v = va_arg ptr %p, i32/);
  });
});
