// The hand-built root trace the pass tests start from: an entry block that
// loads the live struct's values (8-byte slots from offset 16, liveSize 48)
// and a loop block to fill in; `guard` appends a guard whose one frame has a
// slot per deopt value, `finish` closes both blocks and verifies the trace.
import { expect } from "vitest";
import { IRBuilder, Instruction, Module, addBlock, addFunction, constInt, functionType, i1, i8, i32, i64, ptr, voidType } from "../../src/ykir/index.js";
import type { BasicBlock, Function, Type, Value } from "../../src/ykir/index.js";
import { GUARD_FN, type GuardInfo, type Trace } from "../../src/trace-ir/trace.js";
import { verifyTrace } from "../../src/trace-ir/verify.js";

export interface HarnessOptions {
  /** Resume point of guard N is `resumeBase + N`. */
  resumeBase?: number;
  /** Name each live value's address `<name>.addr` (unnamed otherwise). */
  namedAddresses?: boolean;
}

export function traceHarness(live: { name: string; type: Type }[], o: HarnessOptions = {}) {
  const m = new Module();
  const fn: Function = addFunction(m, "t", functionType(i64, [ptr]), { argNames: ["live"] });
  const guardFn = addFunction(m, GUARD_FN, functionType(voidType, [i1, i32]));
  const entry: BasicBlock = addBlock(fn, "entry");
  const loop: BasicBlock = addBlock(fn, "loop");
  const b = new IRBuilder().atEnd(entry);
  const values: Record<string, Value> = {};
  live.forEach(({ name, type }, k) => {
    const addr = b.gep(i8, fn.args[0]!, [constInt(i64, 16 + 8 * k)], ["inbounds"], o.namedAddresses ? `${name}.addr` : undefined);
    values[name] = b.load(type, addr, undefined, name);
  });
  b.atEnd(loop);
  const guards: GuardInfo[] = [];
  const guard = (c: Value, vals: Value[] = []) => {
    const id = guards.length;
    const g = new Instruction("call", voidType, [c, constInt(i32, id), guardFn], null);
    g.fnType = guardFn.fnType;
    g.bundles = [{ tag: "deopt", values: vals }];
    loop.append(g);
    const slots = vals.map((_, j) => ({ offset: 16 + 8 * j, size: 8, source: 0 as const, payload: 0n }));
    guards.push({ id, what: `test guard ${id}`, frames: [{ fn: "interp", resumePoint: (o.resumeBase ?? 0) + id, kind: "term", bufSize: 16 + 16 * Math.ceil(vals.length / 2), slots }] });
    return g;
  };
  const finish = (): Trace => {
    b.atEnd(entry).br(loop);
    b.atEnd(loop).br(loop);
    const t: Trace = {
      name: "t", startFn: "interp", site: 0, liveTypes: live.map((l) => l.type), liveOffsets: live.map((_, k) => 16 + 8 * k), liveSize: 48,
      module: m, fn, guards, recordedBlocks: 1,
    };
    expect(verifyTrace(t)).toEqual([]);
    return t;
  };
  return { m, fn, entry, loop, b, live: values, guard, guardFn, finish };
}

/**
 * A root trace over live struct { [16 x i8], ptr p (16), i64 n (24), i64 m
 * (32) }, addresses named, with `phi(init, name)`: a loop phi whose entry
 * value is `init`, and `back(v)` to give it its value on the back edge.
 */
export function pnmHarness() {
  const h = traceHarness([{ name: "p", type: ptr }, { name: "n", type: i64 }, { name: "m", type: i64 }], { namedAddresses: true });
  const { entry, loop } = h;
  const phi = (init: Value, name: string) => {
    const x = new Instruction("phi", init.type, [init], name);
    x.blocks = [entry];
    loop.instructions.splice(loop.instructions.filter((i) => i.opcode === "phi").length, 0, x);
    x.parent = loop;
    return { phi: x, back: (v: Value) => { x.operands.push(v); x.blocks.push(loop); } };
  };
  return { ...h, p: h.live.p!, n: h.live.n!, mm: h.live.m!, phi };
}
