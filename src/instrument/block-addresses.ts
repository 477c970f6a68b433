// Block addresses for traces (docs/traces.md): a trace cannot name
// `blockaddress(@F, %bb)` of a function in another object, so for every
// function whose blocks are address-taken (computed-goto dispatch) the
// instrumenter exports a table `@"F.ykts.ba" = constant [n x ptr]` of those
// addresses, in block order, and the side table lists the blocks
// (`blockAddrs`). A trace loads an address from the table; an `indirectbr`
// guard compares its target with one.
//
// The traced clone of F jumps only to its own blocks: when it is resumed
// at an `indirectbr` with an address of the original (a deopt from a trace,
// whose values come from the original's world), the address is first
// translated to the clone's block (translateToClone).
import { BasicBlock, BlockAddress, Constant, ConstantAggregate, ConstantExpr, Function, GlobalVariable, IRBuilder, Module, addGlobal, arrayType, constInt, i64, ptr } from "../ykir/index.js";
import type { Value } from "../ykir/index.js";

export const blockTableName = (f: Function): string => `${f.name}.ykts.ba`;

function collect(k: Constant, f: Function, out: Set<BasicBlock>, seen: Set<Constant>): void {
  if (seen.has(k)) return;
  seen.add(k);
  if (k instanceof BlockAddress) { if (k.fn === f) out.add(k.block); return; }
  if (k instanceof ConstantExpr) for (const o of k.operands) collect(o, f, out, seen);
  if (k instanceof ConstantAggregate) for (const e of k.elems) collect(e, f, out, seen);
}

/** The address-taken blocks of f (indirectbr targets, blockaddress constants anywhere in m), in block order. */
export function addressTakenBlocks(m: Module, f: Function): BasicBlock[] {
  const out = new Set<BasicBlock>();
  const seen = new Set<Constant>();
  for (const g of m.globals) if (g.initializer) collect(g.initializer, f, out, seen);
  for (const fn of m.functions)
    for (const b of fn.blocks)
      for (const i of b.instructions) {
        if (fn === f && i.opcode === "indirectbr") for (const d of i.blocks) out.add(d);
        for (const o of i.operands) if (o instanceof Constant) collect(o, f, out, seen);
      }
  return f.blocks.filter((b) => out.has(b));
}

/** Adds the exported table of f's address-taken blocks; returns their block indices. */
export function exportBlockTable(m: Module, f: Function, blocks: BasicBlock[]): GlobalVariable {
  const ty = arrayType(blocks.length, ptr);
  const g = addGlobal(m, blockTableName(f), ty, new ConstantAggregate(ty, blocks.map((b) => new BlockAddress(ptr, f, b))), { constant: true });
  g.linkage = "";
  return g;
}

/**
 * In a clone resumed at an indirectbr: `addr` may be an address of the
 * original; replace it by the clone's block for it (a chain of selects; the
 * original's addresses come from its exported table, since the clone lives
 * in another module).
 */
export function translateToClone(b: IRBuilder, addr: Value, table: GlobalVariable, blocks: BasicBlock[], clone: Function, map: Map<Value, Value>): Value {
  let v: Value = addr;
  blocks.forEach((blk, k) => {
    const cb = map.get(blk) as BasicBlock | undefined;
    if (!cb) return;
    const orig = b.load(ptr, b.gep(table.valueType, table, [constInt(i64, 0), constInt(i64, k)], ["inbounds"]), 8);
    const eq = b.icmp("eq", v, orig);
    v = b.select(eq, new BlockAddress(ptr, clone, cb), v);
  });
  return v;
}
