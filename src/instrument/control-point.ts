// The control-point rewrite in an original function (docs/retrofit-abi.md §2).
//
// Each `__ykts_control_point(mt, loc)` call becomes a few inline
// instructions (null location: nothing; counting location below the hot
// limit: increment; disabled: nothing; installed trace backing off: one
// skip fewer) and, only when those say so, a slow path that spills the
// values live across the site into a live struct, calls `__ykts_cp_slow`,
// and then either returns from the function (status -1) or reloads the live
// values of site j and continues after site j (a trace or a deopt may stop
// at another site of the same function). Values live across any site are
// demoted to stack slots first, so the reloads are plain stores and clang's
// mem2reg rebuilds SSA: the interpreter's own code keeps its registers.
import { IRBuilder, Instruction, addBlock, addFunction, constInt, i8, i32, i64, functionType, ptr } from "../ykir/index.js";
import type { BasicBlock, ConstantInt, Function, GlobalVariable, Module, Value } from "../ykir/index.js";
import { splitBefore } from "./cfg-edit.js";
import { demote } from "./demote.js";
import { bufferType, sizeOf } from "./layout-consts.js";
import type { FunctionAnalysis, ResumePoint } from "./resume-points.js";
import { RECOMPUTABLE, recompute } from "./recompute.js";
import { LOC_STATE_SKIP_OFFSET, RuntimeDecls, STATUS_RETURNED } from "./runtime-abi.js";

/** Splits after each site call: the continuation block of each site. */
export function splitAfterSites(sites: ResumePoint[]): BasicBlock[] {
  return sites.map((s) => {
    const list = s.inst.parent!.instructions;
    return splitBefore(list[list.indexOf(s.inst) + 1]!);
  });
}

/**
 * One stack buffer big enough for every site's live struct, in the entry
 * block: `alloca i8, i64 umax(sizeof S0, sizeof S1, ...)`, which clang folds
 * to a static alloca.
 */
export function allocLiveBuffer(m: Module, f: Function, sites: ResumePoint[]): Instruction {
  const b = new IRBuilder().beforeInst(f.blocks[0]!.instructions[0]!);
  let size: Value = sizeOf(bufferType(sites[0]!.live));
  if (sites.length > 1) {
    const umax = umaxDecl(m);
    for (const s of sites.slice(1)) size = b.call(umax, [size, sizeOf(bufferType(s.live))]);
  }
  const a = b.alloca(i8, 16);
  a.operands = [size];
  return a;
}

function umaxDecl(m: Module): Function {
  const name = "llvm.umax.i64";
  const existing = m.getFunction(name);
  if (existing) return existing;
  return addFunction(m, name, functionType(i64, [i64, i64]));
}

/**
 * Which live values can differ when execution comes back from the runtime?
 * A trace or a deopt only re-executes code on paths that start at a control
 * point, so a value whose definition no site can reach (a loop-invariant
 * address, the frame's allocas, an argument) is the same afterwards: it is
 * handed to the runtime but never reloaded, and so never demoted, which
 * keeps it out of the dispatch loop's register pressure.
 */
function mayChangeAcrossSites(sites: ResumePoint[]): (v: Value) => boolean {
  const reach = new Set<BasicBlock>();
  const work = sites.flatMap((s) => s.inst.parent!.terminator?.successors ?? []);
  while (work.length) {
    const b = work.pop()!;
    if (reach.has(b)) continue;
    reach.add(b);
    work.push(...(b.terminator?.successors ?? []));
  }
  // A status may send execution from site k to site j: a value kept out of
  // the slots must then be defined whichever site came first, which holds
  // when it is live at every site.
  const everywhere = new Set(sites[0]!.live.filter((v) => sites.every((s) => s.live.includes(v))));
  return (v) => (v instanceof Instruction && reach.has(v.parent!)) || !everywhere.has(v);
}

/**
 * The changing live values of a site that are address arithmetic on other
 * live or unchanging values (clang hoists many `gep %base, C` out of an
 * interpreter loop): in definition order, so operands come first.
 */
function derivedValues(live: Value[], changing: (v: Value) => boolean): Set<Value> {
  const liveSet = new Set(live);
  const out = new Set<Value>();
  for (const v of live) {
    if (!(v instanceof Instruction) || !changing(v) || !RECOMPUTABLE.has(v.opcode)) continue;
    // Recomputing from the operands' current values is only right if every
    // changing operand is defined in v's own block: then each execution of
    // that block makes new instances of both. (An operand defined elsewhere
    // may get a new instance while v keeps the one computed from the old.)
    const ok = v.operands.every((o) =>
      o.isConstant || !changing(o) || (liveSet.has(o) && o instanceof Instruction && o.parent === v.parent));
    if (ok) out.add(v);
  }
  return out;
}

/**
 * Rematerialises `remat` (derived values, see derivedValues): each use gets
 * its own copy of the value's instruction right before it (a phi's, at the
 * end of the incoming block), so that the value itself is live nowhere and
 * only what it is computed from crosses the control points. clang hoists
 * such `gep %base, C` to where %base is defined, often many copies of the
 * same one (minilua: 140 of two GEPs of `ci`); carried through the slow
 * path, each became a phi of its own that the register allocator could
 * neither recompute nor fold into an address, and the dispatch loop spilled
 * them (fib: 21% more instructions than the plain build).
 */
function rematerialise(f: Function, remat: Set<Value>): void {
  if (remat.size === 0) return;
  const b = new IRBuilder();
  const copy = (v: Instruction, at: Instruction): Instruction => {
    const ops = v.operands.map((o) => (remat.has(o) ? copy(o as Instruction, at) : o));
    return b.beforeInst(at).insert(recompute(v, ops));
  };
  const uses: [Instruction, number][] = [];
  for (const blk of f.blocks)
    for (const u of blk.instructions) u.operands.forEach((o, k) => { if (remat.has(o)) uses.push([u, k]); });
  for (const [u, k] of uses) {
    const at = u.opcode === "phi" ? u.blocks[k]!.terminator! : u;
    u.operands[k] = copy(u.operands[k] as Instruction, at);
  }
}

/**
 * Per control-point site, its live values that the reload after the runtime
 * recomputes from other live values instead of reading them from the live
 * struct (derivedValues). The side table lists them (`cpDerived`): jitd
 * neither reads nor writes their slots either (docs/retrofit-abi.md §2).
 * Computed on the unchanged body, before rewriteOriginal.
 */
export function siteDerivedValues(sites: ResumePoint[]): Set<Value>[] {
  if (sites.length === 0) return [];
  const changing = mayChangeAcrossSites(sites);
  return sites.map((s) => derivedValues(s.live, changing));
}

export function rewriteOriginal(m: Module, rt: RuntimeDecls, a: FunctionAnalysis, siteDescs: GlobalVariable[]): void {
  const f = a.fn;
  if (a.sites.length === 0) return;
  const changing = mayChangeAcrossSites(a.sites);
  const derived = siteDerivedValues(a.sites);
  const tails = splitAfterSites(a.sites);
  const live = allocLiveBuffer(m, f, a.sites);
  const values = new Set<Value>();
  for (const s of a.sites) for (const v of s.live) if (changing(v)) values.add(v);
  // Their operands as they are now: demotion replaces uses by loads.
  const derivedOps = new Map<Value, Value[]>();
  for (const d of derived) for (const v of d) derivedOps.set(v, [...(v as Instruction).operands]);
  // Derived wherever they are live: recomputed at their uses, never demoted.
  const remat = new Set<Value>();
  for (const v of values) if (a.sites.every((s, j) => !s.live.includes(v) || derived[j]!.has(v))) remat.add(v);
  const rematOps = new Map<Value, Value[]>();
  for (const v of remat) { rematOps.set(v, [...(v as Instruction).operands]); values.delete(v); }
  rematerialise(f, remat);
  const entry = f.blocks[0]!;
  const { slots } = demote(f, values, entry, entry.instructions[0]!);
  const b = new IRBuilder();
  const retType = f.fnType.ret;

  // Shared exits of the slow path: return, and a reload block per site.
  const retBlock = addBlock(f, "ykts.cp.ret");
  b.atEnd(retBlock);
  if (retType.isVoid()) b.ret(); else b.ret(b.load(retType, live));
  const reloads = a.sites.map((s, j) => {
    const r = addBlock(f, `ykts.cp.reload${j}`);
    b.atEnd(r);
    const ty = bufferType(s.live);
    s.live.forEach((v, k) => {
      if (!slots.has(v) || derived[j]!.has(v)) return; // unchanged, or recomputed below
      const p = b.gep(ty, live, [constInt(i32, 0), constInt(i32, k + 1)]);
      b.store(b.load(v.type, p), slots.get(v)!);
    });
    b.br(tails[j]!);
    return r;
  });

  // Derived values are recomputed from the reloaded values they are
  // computed from, in the reload block only: the fast path keeps them as
  // they are. (Recomputing them after the site on every path as well cost
  // mandelbrot 18% more instructions: clang had computed them once per
  // function entry, outside the dispatch loop.)
  a.sites.forEach((s, k) => {
    const at = reloads[k]!.terminator!;
    const fresh = new Map<Value, Value>();
    for (const v of derived[k]!) {
      if (remat.has(v)) continue;
      const i = v as Instruction;
      const ops = derivedOps.get(v)!.map((o) => fresh.get(o) ?? (slots.has(o) ? b.beforeInst(at).load(o.type, slots.get(o)!) : o));
      const n = recompute(i, ops);
      b.beforeInst(at).insert(n);
      fresh.set(v, n);
      b.beforeInst(at).store(n, slots.get(v)!);
    }
  });

  a.sites.forEach((s, k) => {
    const call = s.inst;
    const head = call.parent!;
    const [mt, loc] = call.operands as [Value, Value];
    const dbg = call.getMD("dbg");
    head.instructions.splice(head.instructions.indexOf(call)); // drop the call and the split's br
    const tail = tails[k]!;
    // Null locations are by far the most common: they cost one load, one
    // test and one branch. Then disabled (every location with YKTS_JIT=off,
    // and where the JIT gave up: a location counts only until it is hot),
    // then counting; then an installed trace that is backing off (its
    // state's skip count is not 0: one visit fewer to skip, no call);
    // anything else goes to the runtime.
    const chk = addBlock(f, `ykts.cp${k}.check`, head);
    const chk2 = addBlock(f, `ykts.cp${k}.counting`, chk);
    const cnt = addBlock(f, `ykts.cp${k}.count`, chk2);
    const inc = addBlock(f, `ykts.cp${k}.inc`, cnt);
    const chk3 = addBlock(f, `ykts.cp${k}.trace`, inc);
    const skip = addBlock(f, `ykts.cp${k}.skip`, chk3);
    const slow = addBlock(f, `ykts.cp${k}.slow`, skip);

    b.atEnd(head);
    const st = b.load(i64, loc, 8);
    b.condBr(b.icmp("eq", st, constInt(i64, 0)), tail, chk);
    // Bit tests, not a compare of the tag with 1, 2 and 0: clang turned
    // that chain into a jump table (an indirect branch on every visit).
    // Tag 3 is reserved (never made), so bit 1 alone means disabled and
    // bit 0 alone counting.
    b.atEnd(chk);
    const bit = (m: number) => b.icmp("ne", b.binop("and", st, constInt(i64, m)), constInt(i64, 0));
    b.condBr(bit(2), tail, chk2);
    b.atEnd(chk2);
    b.condBr(bit(1), cnt, chk3);
    b.atEnd(cnt);
    const lim = b.load(i64, rt.global("__ykts_hot_limit"), 8);
    b.condBr(b.icmp("ult", st, lim), inc, slow);
    b.atEnd(inc);
    b.store(b.add(st, constInt(i64, 4)), loc, 8);
    b.br(tail);
    b.atEnd(chk3);
    b.br(skip); // low bits 00 and not null: an installed trace, or a recording awaiting its answer
    b.atEnd(skip);
    const skipAt = b.gep(i8, b.cast("inttoptr", st, ptr), [constInt(i64, LOC_STATE_SKIP_OFFSET)]);
    const left = b.load(i32, skipAt, 4);
    const skipping = addBlock(f, `ykts.cp${k}.skipping`, skip);
    b.condBr(b.icmp("ne", left, constInt(i32, 0)), skipping, slow);
    b.atEnd(skipping);
    b.store(b.binop("sub", left, constInt(i32, 1)), skipAt, 4);
    b.br(tail);

    b.atEnd(slow);
    const ty = bufferType(s.live);
    // The current value of v, here on the slow path.
    const current = (v: Value): Value => {
      if (remat.has(v)) return b.insert(recompute(v as Instruction, rematOps.get(v)!.map(current)));
      const slot = slots.get(v);
      return slot ? b.load(v.type, slot) : v;
    };
    s.live.forEach((v, j) => {
      const p = b.gep(ty, live, [constInt(i32, 0), constInt(i32, j + 1)]);
      b.store(current(v), p);
    });
    const r = b.call(rt.fn("__ykts_cp_slow"), [mt, loc, siteDescs[k]!, live]);
    if (dbg) r.md = [dbg];
    b.switch(r, tail, [
      [constInt(i32, STATUS_RETURNED), retBlock],
      ...reloads.map((blk, j): [ConstantInt, BasicBlock] => [constInt(i32, j), blk]),
    ]);
  });
}
