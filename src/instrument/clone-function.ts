// Deep copy of a ykir function into a new function of the same module, with
// a map from every original value (argument, block, instruction) to its copy.
// Block addresses of the original, also inside constant expressions and
// inside globals that tables of them live in (computed-goto dispatch tables),
// are redirected to the copy's blocks: an `indirectbr` may only jump to
// blocks of its own function.
import {
  Argument, BasicBlock, BlockAddress, ConstantAggregate, ConstantExpr, GlobalVariable, Instruction, MetadataOperand, addGlobal,
} from "../ykir/index.js";
import type { Constant, Function, Module, Value } from "../ykir/index.js";

export interface CloneResult {
  clone: Function;
  map: Map<Value, Value>;
}

/** Fills `into` (a new Function not yet in the module, named already) with a copy of `f` and adds it to `m`. */
export function cloneFunction(m: Module, f: Function, into: Function, tables: Set<GlobalVariable> = new Set()): CloneResult {
  const c = into;
  const name = into.name;
  Object.assign(c, f, { name, blocks: [], args: [], md: undefined });
  const map = new Map<Value, Value>();
  c.args = f.args.map((a) => {
    const na = new Argument(a.type, a.name, a.index);
    na.attrs = [...a.attrs];
    map.set(a, na);
    return na;
  });
  for (const b of f.blocks) {
    const nb = new BasicBlock(b.name);
    nb.parent = c;
    c.blocks.push(nb);
    map.set(b, nb);
  }
  const remap = new ConstantRemapper(m, f, c, map, tables);
  // Instructions first (operands may refer forwards), then operands.
  const pairs: [Instruction, Instruction][] = [];
  f.blocks.forEach((b, k) => {
    const nb = c.blocks[k]!;
    for (const i of b.instructions) {
      const ni = new Instruction(i.opcode, i.type, [], i.name);
      Object.assign(ni, i, { parent: null, operands: [], blocks: [], flags: [...i.flags] });
      nb.append(ni);
      map.set(i, ni);
      pairs.push([i, ni]);
    }
  });
  for (const [i, ni] of pairs) {
    ni.operands = i.operands.map((v) => mapOperand(v, map, remap));
    ni.blocks = i.blocks.map((b) => map.get(b) as BasicBlock);
    if (i.bundles) ni.bundles = i.bundles.map((bd) => ({ tag: bd.tag, values: bd.values.map((v) => map.get(v) ?? v) }));
  }
  m.functions.push(c);
  return { clone: c, map };
}

function mapOperand(v: Value, map: Map<Value, Value>, remap: ConstantRemapper): Value {
  const hit = map.get(v);
  if (hit) return hit;
  if (v.isConstant) return remap.constant(v as Constant);
  if (v instanceof MetadataOperand && (v.value || v.args)) {
    // `metadata ptr %x` operands of intrinsics name values of this function.
    if (v.value) return MetadataOperand.ofValue(mapOperand(v.value, map, remap));
    return MetadataOperand.ofArgs(v.args!.map((x) => mapOperand(x, map, remap)));
  }
  return v;
}

/** Rebuilds constants that mention the original's block addresses. */
class ConstantRemapper {
  private readonly memo = new Map<Constant, Constant>();
  constructor(private readonly m: Module, private readonly from: Function, private readonly to: Function, private readonly map: Map<Value, Value>, private readonly tables: Set<GlobalVariable>) {}

  constant(k: Constant): Constant {
    const hit = this.memo.get(k);
    if (hit) return hit;
    let r: Constant = k;
    if (k instanceof BlockAddress) {
      if (k.fn === this.from) r = new BlockAddress(k.type, this.to, this.map.get(k.block) as BasicBlock);
    } else if (k instanceof ConstantExpr) {
      const ops = k.operands.map((o) => this.constant(o));
      if (ops.some((o, i) => o !== k.operands[i])) {
        const e = new ConstantExpr(k.type, k.opcode, ops);
        Object.assign(e, k, { operands: ops });
        r = e;
      }
    } else if (k instanceof ConstantAggregate) {
      const els = k.elems.map((o) => this.constant(o));
      if (els.some((o, i) => o !== k.elems[i])) r = new ConstantAggregate(k.type, els);
    } else if (k instanceof GlobalVariable && k.initializer && mentionsBlockOf(k.initializer, this.from)) {
      // A dispatch table: the copy gets its own table of its own blocks.
      this.memo.set(k, k); // cut cycles while the initializer is rebuilt
      const g = addGlobal(this.m, `${k.name}.ykts.t`, k.valueType, null, { constant: k.isConstantGlobal });
      g.linkage = "private";
      if (k.align !== undefined) g.align = k.align;
      g.initializer = this.constant(k.initializer);
      this.tables.add(g);
      r = g;
    }
    this.memo.set(k, r);
    return r;
  }
}

function mentionsBlockOf(k: Constant, f: Function, seen = new Set<Constant>()): boolean {
  if (seen.has(k)) return false;
  seen.add(k);
  if (k instanceof BlockAddress) return k.fn === f;
  if (k instanceof ConstantExpr) return k.operands.some((o) => mentionsBlockOf(o, f, seen));
  if (k instanceof ConstantAggregate) return k.elems.some((o) => mentionsBlockOf(o, f, seen));
  return false;
}
