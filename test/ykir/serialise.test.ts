// Serialised ykir: loading gives back an equivalent graph (shared objects stay
// shared, literal types are the interned ones, parent links rebuilt), and the
// format is versioned.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { parseModule } from "../../src/llvm-import/parser.js";
import { serialiseModule, loadModule, YkirLoadError, YKIR_FORMAT_VERSION } from "../../src/ykir/serialise.js";
import { printModule } from "../../src/ykir/printer.js";
import { i32, ptr } from "../../src/ykir/types.js";
import { Instruction } from "../../src/ykir/instruction.js";
import { Function } from "../../src/ykir/module.js";

const HAND = new URL("../fixtures/ll/handwritten.ll", import.meta.url);

describe("serialise", () => {
  const m = parseModule(readFileSync(HAND, "latin1"), { file: "handwritten.ll" });
  const loaded = loadModule(serialiseModule(m));

  it("round-trips the printed text", () => {
    expect(printModule(loaded)).toBe(printModule(m));
  });

  it("loads from an unaligned view (as when embedded in a larger section)", () => {
    const bytes = serialiseModule(m);
    const big = new Uint8Array(bytes.length + 3);
    big.set(bytes, 3);
    expect(printModule(loadModule(big.subarray(3)))).toBe(printModule(m));
  });

  it("restores classes, identity and parent links", () => {
    const callee = loaded.getFunction("callee")!;
    expect(callee).toBeInstanceOf(Function);
    expect(callee.vkind).toBe("function");
    const flags = loaded.getFunction("flags")!;
    const call = flags.blocks[0]!.instructions.find((i) => i.opcode === "call" && i.callee === callee)!;
    expect(call).toBeInstanceOf(Instruction);
    expect(call.parent).toBe(flags.blocks[0]);
    expect(flags.blocks[0]!.parent).toBe(flags);
    expect(callee.fnType.ret).toBe(i32);
    expect(loaded.getGlobal("counter")!.type).toBe(ptr);
    expect(loaded.getNamedType("struct.node")!.elems![1]).toBe(ptr);
    const tag = flags.blocks[0]!.instructions.find((i) => i.getMD("tbaa"))!.getMD("tbaa")!.tbaa!;
    expect(tag.access.name).toBe("int");
  });

  it("lazy loading decodes a function's body when its blocks are first read", () => {
    const bytes = serialiseModule(m);
    const decoded: string[] = [];
    const lazy = loadModule(bytes, { lazy: true, onBody: (f) => decoded.push(f.name!) });
    const defined = m.functions.filter((f) => !f.isDeclaration).map((f) => f.name);
    // Asking which functions are defined decodes nothing.
    expect(lazy.functions.filter((f) => !f.isDeclaration).map((f) => f.name)).toEqual(defined);
    expect(decoded).toEqual([]);
    const callee = lazy.getFunction("callee")!;
    const b0 = callee.blocks[0]!;
    expect(decoded).toEqual(["callee"]);
    expect(callee.blocks[0]).toBe(b0); // decoded once
    expect(b0.parent).toBe(callee);
    expect(b0.instructions[0]!.parent).toBe(b0);
    expect(decoded).toEqual(["callee"]);
    // A call in another body refers to the same function object.
    const flagsCall = lazy.getFunction("flags")!.blocks[0]!.instructions.find((i) => i.opcode === "call" && i.callee === callee);
    expect(flagsCall).toBeDefined();
    // @ba takes the address of a block of flags: flags stays in the shell whole.
    expect(decoded).not.toContain("flags");
    expect(printModule(lazy)).toBe(printModule(m));
    expect(new Set(decoded).size).toBe(decoded.length);
    expect(decoded.length).toBe(defined.length - 1);
    // A lazily loaded module serialises again (reading every body).
    expect(printModule(loadModule(serialiseModule(loadModule(bytes, { lazy: true }))))).toBe(printModule(m));
  });

  it("rejects other formats and versions with a clear message", () => {
    const bytes = serialiseModule(m);
    const newer = bytes.slice();
    new DataView(newer.buffer).setUint32(4, YKIR_FORMAT_VERSION + 1, true);
    expect(() => loadModule(newer)).toThrow(YkirLoadError);
    expect(() => loadModule(newer)).toThrow(`serialised ykir version ${YKIR_FORMAT_VERSION + 1}`);
    expect(() => loadModule(new TextEncoder().encode("garbage"))).toThrow(/not a serialised ykir module/);
    expect(() => loadModule(bytes.subarray(0, bytes.length / 2))).toThrow(YkirLoadError);
  });
});
