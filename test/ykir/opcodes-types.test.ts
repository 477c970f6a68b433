// The opcode table and the type system: properties passes rely on, interning
// and structural comparison.
import { describe, it, expect } from "vitest";
import { opcodeInfo, OPCODES, isTerminator } from "../../src/ykir/opcodes.js";
import * as T from "../../src/ykir/types.js";

describe("opcode table", () => {
  it("classifies terminators, memory and pure operations", () => {
    for (const op of ["ret", "br", "switch", "indirectbr", "unreachable", "invoke", "resume"]) expect(isTerminator(op), op).toBe(true);
    expect(isTerminator("call")).toBe(false);
    expect(opcodeInfo("store")).toMatchObject({ mayWrite: true, sideEffects: true, pure: false });
    expect(opcodeInfo("load")).toMatchObject({ mayRead: true, mayWrite: false, pure: false });
    expect(opcodeInfo("add")).toMatchObject({ pure: true, commutative: true, constExpr: true });
    expect(opcodeInfo("sub").commutative).toBe(false);
    expect(opcodeInfo("getelementptr").pure).toBe(true);
    expect(opcodeInfo("call")).toMatchObject({ sideEffects: true, mayRead: true, mayWrite: true });
    expect(() => opcodeInfo("frobnicate")).toThrow("unknown opcode 'frobnicate'");
    expect(OPCODES.size).toBeGreaterThan(60);
  });
});

describe("types", () => {
  it("interns literal types and compares structurally", () => {
    expect(T.intType(32)).toBe(T.i32);
    expect(T.arrayType(4, T.i8)).toBe(T.arrayType(4, T.intType(8)));
    expect(T.structType([T.i32, T.ptr], true).toString()).toBe("<{ i32, ptr }>");
    expect(T.functionType(T.voidType, [T.ptr], true).toString()).toBe("void (ptr, ...)");
    expect(T.vectorType(4, T.floatType("float"), true).toString()).toBe("<vscale x 4 x float>");
    expect(T.ptrType(3).toString()).toBe("ptr addrspace(3)");
    const a = new T.StructType("s", [T.i32], false), b = new T.StructType("s", [T.i32], false);
    expect(T.typeEquals(a, a)).toBe(true);
    expect(T.typeEquals(a, b)).toBe(false);
    expect(a.toString()).toBe("%s");
    expect(new T.StructType("a b", null, false).toString()).toBe('%"a b"');
    expect(T.canonicalType(new T.IntType(7))).toBe(T.intType(7));
  });
});
