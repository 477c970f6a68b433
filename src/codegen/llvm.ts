// LLVM backend: trace IR → an LLVM module (text, printed by the ykir
// printer) that clang compiles to the trace object of docs/traces.md.
//
// Each guard `call @ykts.guard(i1 %c, i32 N) ["deopt"(...)]` becomes a
// branch on %c, weighted as almost never failing, to an exit block
//   %r = call i64 @__ykts_deopt(i32 N) [ "deopt"(<values>) ]
//   ret i64 %r
// (i1 values travel zero-extended to i8). Before that, the exit looks in
// the trace's side-trace table `<name>_side` (one pointer per guard, null
// until the runtime installs a side trace there, docs/traces.md §6) and,
// when there is one, calls it with the live struct and the bundle's values
// instead; a root trace whose side trace returns SIDE_RESTART starts
// again from the live struct (the `reload` block, rootReload), anything
// else is returned as is. The module declares every
// function and global the trace references by name (the interpreter
// exports them), carries the named struct types it uses, and defines the
// deopt table `<name>_meta` (docs/traces.md §3). A root trace that loops
// also defines `i64 <name>_iters`, which its back edge increments (a peeled
// trace, src/codegen/peel.ts, counts in a register its loop exits store): the
// runtime tells a guard that fails in the first iteration from one that
// fails after some (docs/runtime.md, retracing).
import {
  ArrayType, BasicBlock, Constant, ConstantExpr, ConstantNull, ConstantString, ConstantZero, Function, GlobalAlias, GlobalValue, GlobalVariable,
  Instruction, IRBuilder, MDAttachment, MDNode, StructType, VectorType, FunctionType,
  addFunction, arrayType, constInt, functionType, i8, i64, printModule, ptr, voidType,
} from "../ykir/index.js";
import type { Type, Value } from "../ykir/index.js";
import { GUARD_FN, SIDE_RESTART, guardId, guardStores, guardValues, isGuard, loops } from "../trace-ir/trace.js";
import type { DeoptSlot, Trace } from "../trace-ir/trace.js";
import { cloneInst } from "./clone.js";
import { peelFirstIteration, shouldPeel } from "./peel.js";

export class CodegenError extends Error {}

export const DEOPT_FN = "__ykts_deopt";
export const DEOPT_ANY_FN = "__ykts_deopt_any";
export const META_MAGIC = "YKTM";
export const META_VERSION = 2;

/** The deopt table bytes (docs/traces.md §3, version 2). */
export function encodeMeta(t: Trace): Uint8Array {
  // Slot lists, shared between frames that place their values alike: the
  // candidates for a frame are the lists with as many slots at the same
  // offsets, sizes and sources (a hash of those), compared slot by slot.
  const lists: DeoptSlot[][] = [];
  const candidates = new Map<string, number[]>();
  const sameSlots = (a: DeoptSlot[], b: DeoptSlot[]) => {
    for (let k = 0; k < a.length; k++) {
      const x = a[k]!, y = b[k]!;
      if (x.offset !== y.offset || x.size !== y.size || x.source !== y.source || x.payload !== y.payload) return false;
    }
    return true;
  };
  const frameList = t.guards.map((g) => g.frames.map((f) => {
    let h = f.slots.length;
    for (const x of f.slots) h = (Math.imul(h, 31) + x.offset * 8 + x.size * 4 + x.source) | 0;
    const key = `${f.slots.length}:${h}`;
    let c = candidates.get(key);
    if (!c) { c = []; candidates.set(key, c); }
    for (const k of c) if (sameSlots(lists[k]!, f.slots)) return k;
    const k = lists.length;
    lists.push(f.slots);
    c.push(k);
    return k;
  }));
  const enc = new TextEncoder();
  const startFn = enc.encode(t.startFn);
  const fnNames = new Map<string, Uint8Array>();
  const nameOf = (n: string) => {
    let b = fnNames.get(n);
    if (!b) { b = enc.encode(n); fnNames.set(n, b); }
    return b;
  };
  let size = 4 + 4 * 4 + startFn.length + 4;
  for (const l of lists) size += 4 + 16 * l.length;
  size += 4;
  for (const g of t.guards) {
    size += 4;
    for (const f of g.frames) size += 4 + nameOf(f.fn).length + 12;
  }
  const buf = new Uint8Array(size);
  const dv = new DataView(buf.buffer);
  let len = 0;
  const u8 = (n: number) => { buf[len++] = n; };
  const u32 = (n: number) => { dv.setUint32(len, n >>> 0, true); len += 4; };
  const bytes = (b: Uint8Array) => { u32(b.length); buf.set(b, len); len += b.length; };
  for (const c of META_MAGIC) u8(c.charCodeAt(0));
  u32(META_VERSION);
  u32(t.site);
  u32(t.liveSize);
  bytes(startFn);
  u32(lists.length);
  for (const l of lists) {
    u32(l.length);
    for (const s of l) {
      u32(s.offset); u8(s.size); u8(s.source); u8(0); u8(0);
      dv.setBigUint64(len, BigInt.asUintN(64, s.payload), true); len += 8;
    }
  }
  u32(t.guards.length);
  t.guards.forEach((g, gi) => {
    u32(g.frames.length);
    g.frames.forEach((f, fi) => {
      bytes(nameOf(f.fn));
      u32(f.resumePoint);
      u32(f.bufSize);
      u32(frameList[gi]![fi]!);
    });
  });
  if (len !== size) throw new Error(`deopt table: wrote ${len} bytes, sized ${size}`);
  return buf;
}

function collectTypes(t: Type, out: Set<StructType>): void {
  if (t instanceof StructType) {
    if (t.name !== null) {
      if (out.has(t)) return;
      out.add(t);
    }
    for (const e of t.elems ?? []) collectTypes(e, out);
  } else if (t instanceof ArrayType || t instanceof VectorType) {
    collectTypes(t.elem, out);
  } else if (t instanceof FunctionType) {
    collectTypes(t.ret, out);
    for (const p of t.params) collectTypes(p, out);
  }
}

/**
 * A root trace: the block that a side trace's SIDE_RESTART goes back to
 * (and, never taken, a deopt: see the guard exits), after the trace's
 * blocks. It loads the live values again, as entry does, and enters the
 * trace's first block (the loop header of a trace that loops, through the
 * latch that oneLatch adds later) with them:
 * entry's instructions cloned, the clone of each header phi's entry value
 * as the phi's value from here, and for an entry value the trace uses
 * directly a phi of its own (entry's, reload's, and, with `backEdge`,
 * itself around the back edge). The guard exits, which come back through
 * here, are then part of the cycle for LLVM. Before, with `reload`
 * between entry and the first block, it headed a loop out of which every
 * value a deopt bundle carried was live, and LCSSA gave each a phi in
 * every exit block it dominates: 72% of clang's middle end for deltablue's
 * largest trace (1134 guards). Entry checks are made in both blocks; a
 * failed one returns the site.
 */
function rootReload(fn: Function, entry: BasicBlock, loop: BasicBlock, checks: Value[], site: number, backEdge: boolean): BasicBlock {
  const term = entry.instructions[entry.instructions.length - 1];
  if (!term || term.opcode !== "br" || term.blocks.length !== 1 || term.blocks[0] !== loop) throw new CodegenError("a root trace's entry does not end by entering its loop");
  entry.instructions.pop();
  const reload = new BasicBlock("reload");
  reload.parent = fn;
  const copy = new Map<Value, Value>();
  const mapped = (v: Value) => copy.get(v) ?? v;
  for (const i of entry.instructions) {
    if (i.opcode === "alloca") continue;
    copy.set(i, reload.append(cloneInst(i, mapped)));
  }
  const eb = new IRBuilder().atEnd(entry);
  const rb = new IRBuilder().atEnd(reload);
  if (checks.length) {
    const bail = new BasicBlock("bail");
    bail.parent = fn;
    new IRBuilder().atEnd(bail).ret(constInt(i64, BigInt(site)));
    eb.condBr(checks.reduce((a, c) => eb.binop("and", a, c)), loop, bail);
    rb.condBr(checks.map(mapped).reduce((a, c) => rb.binop("and", a, c)), loop, bail);
    fn.blocks.push(bail);
  } else {
    eb.br(loop);
    rb.br(loop);
  }
  const phis: Instruction[] = [];
  for (const p of loop.instructions) {
    if (p.opcode !== "phi") break;
    phis.push(p);
  }
  for (const p of phis) {
    const k = p.blocks.indexOf(entry);
    if (k < 0) throw new CodegenError("a loop phi of a root trace has no value from entry");
    p.operands.push(mapped(p.operands[k]!));
    p.blocks.push(reload);
  }
  // Entry values the loop uses other than as a phi's value from entry.
  const own = new Map<Value, Instruction>();
  const refresh = (v: Value): Value => {
    if (!copy.has(v)) return v;
    let p = own.get(v);
    if (!p) {
      p = new Instruction("phi", v.type, [v, copy.get(v)!], null);
      p.blocks = [entry, reload];
      own.set(v, p);
    }
    return p;
  };
  for (const b of fn.blocks) {
    if (b === entry || b === reload) continue;
    for (const i of b.instructions) {
      if (i.opcode === "phi" && b === loop) {
        i.operands = i.operands.map((o, k) => (i.blocks[k] === entry || i.blocks[k] === reload ? o : refresh(o)));
        continue;
      }
      i.operands = i.operands.map(refresh);
      for (const bd of i.bundles ?? []) bd.values = bd.values.map(refresh);
    }
  }
  for (const p of own.values()) {
    if (backEdge) {
      p.operands.push(p);
      p.blocks.push(loop); // moved to the last block with the other phis' back edges
    }
    p.parent = loop;
  }
  loop.instructions.splice(phis.length, 0, ...own.values());
  return reload;
}

/**
 * A looping root trace: its back edge (from `last`) and `other` (reload,
 * or for a peeled trace the peeled copy's last block, with `iters` null:
 * its count is a register) both go
 * through one `latch` block, whose phis the header phis take as their one
 * value around the loop, and which counts the iteration (`<name>_iters`). With two back edges into the header, and an
 * entry value that only reload changes (a phi that is itself around the
 * back edge), LLVM's LoopSimplify splits the loop in two: an inner loop of
 * the trace's blocks, with every guard exit outside it, and LCSSA gives
 * each value a deopt bundle carries a phi in each exit it dominates again
 * (5,544 phis, 62% of clang's middle end for deltablue's first trace,
 * 730 guards). With one back edge there is one loop, and the exits are in it.
 */
function oneLatch(fn: Function, loop: BasicBlock, last: BasicBlock, other: BasicBlock, iters: GlobalVariable | null): BasicBlock {
  const latch = new BasicBlock("latch");
  latch.parent = fn;
  // The iteration count: 1 from the back edge, 0 from reload. (A latch of
  // phis alone is folded into the header by clang's late SimplifyCFG, and
  // the loop is split again.) A peeled trace counts in a register instead.
  let inc: Instruction | null = null;
  if (iters) {
    inc = new Instruction("phi", i64, [constInt(i64, 1), constInt(i64, 0)], null);
    inc.blocks = [last, other];
    inc.parent = latch;
    latch.instructions.push(inc);
  }
  for (const p of loop.instructions) {
    if (p.opcode !== "phi") break;
    const kl = p.blocks.indexOf(last), kr = p.blocks.indexOf(other);
    if (kl < 0 || kr < 0) throw new CodegenError("a loop phi of a root trace has no value around the loop or from reload");
    const lp = new Instruction("phi", p.type, [p.operands[kl]!, p.operands[kr]!], null);
    lp.blocks = [last, other];
    lp.parent = latch;
    latch.instructions.push(lp);
    const keep = p.blocks.map((_, k) => k).filter((k) => k !== kl && k !== kr);
    p.operands = [...keep.map((k) => p.operands[k]!), lp];
    p.blocks = [...keep.map((k) => p.blocks[k]!), latch];
  }
  const lb = new IRBuilder().atEnd(latch);
  if (iters && inc) lb.store(lb.binop("add", lb.load(i64, iters, 8), inc), iters, 8);
  lb.br(loop);
  for (const b of [last, other]) {
    const term = b.instructions[b.instructions.length - 1]!;
    term.blocks = term.blocks.map((s) => (s === loop ? latch : s));
  }
  return latch;
}

export interface EmitOptions {
  /** Peel the first iteration of a root trace that loops (src/codegen/peel.ts; default: shouldPeel). */
  peel?: boolean;
}

/** Lowers the trace in place and returns the module text. */
export function emitLLVM(t: Trace, opts: EmitOptions = {}): string {
  const m = t.module;
  const fn = t.fn;
  const loop = fn.blocks[1]!;

  // The deopt entry guard exits call while they have no side trace (its
  // declared type does not matter: calls give theirs), and the weights
  // that mark exits cold.
  const deoptAny = addFunction(m, DEOPT_ANY_FN, functionType(i64, [ptr], true));
  const prof = new MDNode(m.newMDNodeId(), `!{!"branch_weights", i32 1048575, i32 1}`);
  m.mdNodes.push(prof);

  // The side-trace table, and for a root trace the block that (re)loads the
  // live values: everything of entry but its allocas.
  const sideTable = new GlobalVariable(`${t.name}_side`);
  sideTable.valueType = arrayType(Math.max(1, t.guards.length), ptr);
  sideTable.initializer = new ConstantZero(sideTable.valueType);
  sideTable.align = 8;
  m.globals.push(sideTable);
  const entry = fn.blocks[0]!;
  // A root trace that loops counts its iterations in `<name>_iters` (for
  // the runtime: retracing, docs/runtime.md).
  let iters: GlobalVariable | null = null;
  if (loops(t)) {
    iters = new GlobalVariable(`${t.name}_iters`);
    iters.valueType = i64;
    iters.initializer = new ConstantZero(i64);
    iters.align = 8;
    m.globals.push(iters);
  }
  // A peeled trace (src/codegen/peel.ts) keeps the count in a register,
  // %count, which the loop's exits store: a store to the global in the
  // loop would keep clang from forwarding the slots the iteration stores
  // to the next one's loads (the global may alias them). The peel's exits
  // store nothing: the count is still the one the runtime read at entry,
  // which is how it knows the guard failed in the first iteration.
  let count: Instruction | null = null;
  const peel = iters && (opts.peel ?? shouldPeel(t)) ? peelFirstIteration(fn, entry, loop) : null;
  if (peel) {
    const atEnd = (b: BasicBlock, i: Instruction) => { i.parent = b; b.instructions.splice(b.instructions.length - 1, 0, i); return i; };
    const c0 = atEnd(entry, new Instruction("load", i64, [iters!], null));
    c0.align = 8;
    const c1 = atEnd(peel, new Instruction("add", i64, [c0, constInt(i64, 1)], null));
    count = new Instruction("phi", i64, [c1], null);
    count.blocks = [peel];
    count.parent = loop;
    loop.instructions.unshift(count);
    const next = atEnd(loop, new Instruction("add", i64, [count, constInt(i64, 1)], null));
    count.operands.push(next);
    count.blocks.push(loop);
  }
  let reload: BasicBlock | null = null;
  const exits: BasicBlock[] = [];
  if (!t.side) {
    reload = rootReload(fn, entry, peel ?? loop, t.entryChecks ?? [], t.site, loops(t) && !peel);
    exits.push(reload);
  }
  const sideFnType = (vals: Value[]) => functionType(i64, [ptr, ...vals.map((v) => v.type)]);

  // Expand guards: split the block after each one; returns the last part.
  const expand = (block: BasicBlock, count: Value | null): BasicBlock => {
    const body = block.instructions;
    block.instructions = [];
    let cur: BasicBlock = block;
    for (const inst of body) {
      if (!isGuard(inst)) { cur.append(inst); continue; }
      const id = guardId(inst);
      const next = new BasicBlock(`g${id}.ok`);
      const exit = new BasicBlock(`g${id}.exit`);
      next.parent = fn; exit.parent = fn;
      const br = new Instruction("br", voidType, [inst.operands[0]!], null);
      br.blocks = [next, exit];
      br.md = [new MDAttachment("prof", `!${prof.id}`)];
      cur.append(br);
      // One call for both ways out: the guard's side trace, or while its
      // slot is empty __ykts_deopt_any, which finds the guard from the
      // stackmap record ("statepoint-id") and the values in it.
      const eb = new IRBuilder().atEnd(exit);
      if (count && iters) eb.store(count, iters, 8);
      // The slots promote-slots keeps in registers go to memory first.
      const st = guardStores(inst);
      for (let k = 0; k < st.length; k += 2) eb.store(st[k + 1]!, st[k]!, undefined);
      const slot = new ConstantExpr(ptr, "getelementptr", [sideTable, constInt(i64, 0), constInt(i64, id)]);
      slot.elemType = sideTable.valueType;
      slot.flags = ["inbounds"];
      const sp = eb.load(ptr, slot, 8);
      const target = eb.select(eb.icmp("eq", sp, new ConstantNull(ptr)), deoptAny, sp);
      const raw = guardValues(inst);
      const vals: Value[] = raw.map((v) => {
        if (v.type.isInt(1)) {
          const z = new Instruction("zext", i8, [v], null);
          exit.append(z);
          return z;
        }
        return v;
      });
      const r = eb.call(target, [fn.args[0]!, ...raw], {
        fnType: sideFnType(raw),
        fnAttrs: [{ kind: "statepoint-id", str: true, value: String(id) }],
      });
      r.bundles = [{ tag: "deopt", values: vals }];
      if (reload) {
        // A side trace's SIDE_RESTART goes back to reload; the deopt entry
        // never returns it, but the branch keeps the call inside the loop,
        // where its values are used.
        const ret = new BasicBlock(`g${id}.ret`);
        ret.parent = fn;
        eb.condBr(eb.icmp("eq", r, constInt(i64, SIDE_RESTART)), reload, ret);
        new IRBuilder().atEnd(ret).ret(r);
        exits.push(exit, ret);
      } else {
        eb.ret(r);
        exits.push(exit);
      }
      fn.blocks.push(next);
      cur = next;
    }
    return cur;
  };
  const peelLast = peel ? expand(peel, null) : null;
  const cur = expand(loop, count);
  // The ways into the loop header now leave the last parts: fix the loop phis.
  for (const p of loop.instructions) {
    if (p.opcode !== "phi") break;
    p.blocks = p.blocks.map((b) => (b === loop ? cur : b === peel ? peelLast! : b));
  }
  // A root trace that loops has reload (only side traces have none, and they do not loop).
  if (iters) fn.blocks.push(peelLast ? oneLatch(fn, loop, cur, peelLast, null) : oneLatch(fn, loop, cur, reload!, iters));
  fn.blocks.push(...exits);
  // The guard pseudo function is gone.
  m.functions = m.functions.filter((f) => f.name !== GUARD_FN);

  // Declarations and named types for everything referenced.
  const globals = new Map<string, GlobalValue>();
  const types = new Set<StructType>();
  const seen = new Set<Value>();
  const visit = (v: Value): void => {
    if (seen.has(v)) return;
    seen.add(v);
    collectTypes(v.type, types);
    if (v instanceof GlobalValue) {
      if (v.name === null) throw new CodegenError("trace references an unnamed global");
      if (v !== fn && v !== deoptAny && !m.functions.includes(v as Function) && !m.globals.includes(v as GlobalVariable)) {
        if (!globals.has(v.name)) globals.set(v.name, v);
      }
      return;
    }
    if (v instanceof ConstantExpr) { if (v.elemType) collectTypes(v.elemType, types); v.operands.forEach(visit); return; }
    const elems = (v as { elems?: Constant[] }).elems;
    if (elems) elems.forEach(visit);
  };
  for (const b of fn.blocks)
    for (const i of b.instructions) {
      collectTypes(i.type, types);
      if (i.elemType) collectTypes(i.elemType, types);
      if (i.fnType) collectTypes(i.fnType, types);
      for (const o of i.operands) visit(o);
      for (const bd of i.bundles ?? []) bd.values.forEach(visit);
    }
  for (const [name, g] of globals) {
    if (g instanceof Function) {
      addFunction(m, name, g.fnType);
      collectTypes(g.fnType, types);
    } else {
      const vt = g instanceof GlobalVariable || g instanceof GlobalAlias ? g.valueType : i8;
      collectTypes(vt, types);
      const d = new GlobalVariable(name);
      d.linkage = "external";
      d.valueType = vt;
      if (g instanceof GlobalVariable && g.threadLocal) d.threadLocal = g.threadLocal;
      m.globals.push(d);
    }
  }
  const byName = new Map<string, StructType>();
  for (const ty of types) {
    const other = byName.get(ty.name!);
    if (other && other.bodyString() !== ty.bodyString())
      throw new CodegenError(`two different struct types are both named ${ty}: the trace cannot use both yet`);
    if (!other) byName.set(ty.name!, ty);
  }
  m.namedTypes = [...byName.values()];

  // The deopt table.
  const meta = encodeMeta(t);
  const g = new GlobalVariable(`${t.name}_meta`);
  g.isConstantGlobal = true;
  g.valueType = arrayType(meta.length, i8);
  g.initializer = new ConstantString(g.valueType, Buffer.from(meta.buffer, meta.byteOffset, meta.length).toString("latin1"));
  g.align = 8;
  m.globals.push(g);
  return printModule(m);
}

