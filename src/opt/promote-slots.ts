// Pass: keep loop-carried memory slots in registers; write them only where
// the trace leaves.
//
// An interpreter keeps its guest's registers in memory (minilua: a value
// and a type tag per stack slot), and every bytecode reads its operands
// from there and writes its result back. forward-loads makes the reads
// within one iteration values, but every iteration still reads each slot
// at its top and writes it again (mandelbrot's inner loop: 30 stores an
// iteration, 6 of them to one temporary), because a deopt, or a side
// trace, reads the slots from memory. This pass writes them on the way out
// instead: at each guard's exit (before the side trace or the deopt), and
// before a load that may read them.
//
// Assumes: a verified root trace that loops (src/trace-ir/trace.ts); runs
// after forward-loads, cse and fold-guards (one address value per slot and
// access). Nothing but the trace changes memory while the loop runs (as
// forward-loads assumes: a failing guard leaves the loop, and a side trace
// that comes back re-enters it through reload, whose memory is then up to
// date); the trace's calls are pure or guards (the pass does nothing
// otherwise).
// Guarantees: a slot is `size` bytes at a loop-invariant base (an entry
// value, a constant or global address) plus a constant offset, loaded or
// stored in the loop only by accesses of exactly those bytes with a type
// it can bitcast to (forward-loads' `compatible`), and stored through no
// other address that may alias it; no volatile or atomic access and no
// call that may read or write memory is in the loop. For each slot, up to
// a budget of exit stores:
//  - a phi P carries its value round the loop; `%first`, a phi true on the
//    first iteration (and after reload), false after;
//  - its first load in an iteration stays (memory is right there in the
//    first iteration) and its value becomes `select %first, load, P`; later
//    loads take the latest value; its stores are removed and their value
//    becomes the latest;
//  - each guard gets a "ykts.stores" bundle of (address, value) pairs
//    that its exit stores before anything else: the latest value of each
//    slot that memory may lack there. Before the slot's first access in an
//    iteration the pair is (`select %first, %scratch, address`, P): on the
//    first iteration memory is right and the store goes to a scratch
//    alloca;
//  - before a load that may alias a slot, the slot is stored the same way
//    (and is then up to date in memory until it is stored again);
//  - `Trace.promoted` names each slot's address and phi: a loop stopped at
//    its top has the phi's incoming values to write (the reference
//    evaluator does, so that memory compares equal).
// So on every way out of the loop, and at every read the pass does not
// replace, memory holds what the original trace would have written.
import { BasicBlock, ConstantInt, ConstantFP, ConstantNull, Instruction, IRBuilder, constFloat, constInt, i1, i8, i64, typeEquals } from "../ykir/index.js";
import type { Type, Value } from "../ykir/index.js";
import { isGuard, isUpgradeCheck, loops } from "../trace-ir/trace.js";
import type { Trace } from "../trace-ir/trace.js";
import { ABSOLUTE, compatible, memoryModel, simple, type Access } from "./forward-loads.js";
import { isPureCall } from "./dce.js";

export const name = "promote-slots";

/** Off unless `YKTS_OPT=+promote-slots`: see docs/traces.md §5 for what it costs where exits are hot. */
export const defaultOff = true;

/** Exit stores the pass may add in all (pairs over all guards): clang's time grows with them. */
export const EXIT_STORE_BUDGET = 4000;

interface Slot {
  a: Access;
  type: Type;
  accesses: number;
  ok: boolean;
  // Set while rewriting.
  addr?: Value;
  sel?: Instruction;
  phi?: Instruction;
  mode?: "pre" | "valid" | "clean" | "dirty";
  cur?: Value;
}

const scalar = (t: Type) => (t.isInt() && !t.isInt(1)) || t.isFloatingPoint() || t.isPtr();

function zeroOf(t: Type): Value {
  if (t.isPtr()) return new ConstantNull(t);
  if (t.isFloatingPoint()) return constFloat(t as Parameters<typeof constFloat>[0], 0);
  return constInt(t, 0n);
}

export function run(t: Trace): number {
  if (!loops(t)) return 0;
  const [entry, body] = t.fn.blocks as [BasicBlock, BasicBlock];
  const mm = memoryModel(t);
  const invariant = (b: Access["base"]) => b === ABSOLUTE || !(b instanceof Instruction) || b.parent !== body;

  // The slots, and whether the loop lets each be promoted.
  const slots: Slot[] = [];
  const byBase = new Map<Access["base"], Slot[]>();
  const slotOf = (a: Access) => byBase.get(a.base)?.find((s) => s.a.off === a.off && s.a.size === a.size);
  const stores: Access[] = [];
  for (const i of body.instructions) {
    if (i.opcode === "phi" || i.isTerminator) continue;
    if (i.opcode === "load" || i.opcode === "store") {
      if (!simple(i)) return 0;
      const ty = i.opcode === "load" ? i.type : i.operands[0]!.type;
      const a = mm.access(i.operands[i.opcode === "load" ? 0 : 1]!, ty);
      if (!a) return 0;
      if (i.opcode === "store") stores.push(a);
      if (!invariant(a.base) || !scalar(ty) || a.base === ABSOLUTE) continue;
      let s = slotOf(a);
      if (!s) {
        s = { a, type: ty, accesses: 0, ok: true };
        slots.push(s);
        const l = byBase.get(a.base);
        if (l) l.push(s); else byBase.set(a.base, [s]);
      }
      s.accesses++;
      if (!compatible(s.type, ty)) s.ok = false;
      continue;
    }
    if (i.opcode === "call") {
      if (isGuard(i) || isUpgradeCheck(i) || isPureCall(i)) continue;
      return 0;
    }
    if (i.info.mayRead || i.info.mayWrite || i.info.sideEffects) return 0;
  }
  // A slot overlapped by another slot, or by a store elsewhere that may alias it, stays in memory.
  for (const s of slots) {
    if (!s.ok) continue;
    for (const o of slots) if (o !== s && o.a.base === s.a.base && mm.mayAlias(o.a, s.a)) s.ok = false;
    for (const w of stores) if (s.ok && mm.mayAlias(w, s.a) && slotOf(w) !== s) s.ok = false;
  }
  const guards = body.instructions.filter(isGuard).length;
  const chosen = slots.filter((s) => s.ok).sort((x, y) => y.accesses - x.accesses);
  const keep = guards ? Math.min(chosen.length, Math.floor(EXIT_STORE_BUDGET / guards)) : chosen.length;
  const promote = new Set(chosen.slice(0, keep));
  if (promote.size === 0) return 0;

  // Entry: each slot's address (the base is defined there or earlier) and the scratch word.
  const term = entry.instructions.pop()!;
  const eb = new IRBuilder().atEnd(entry);
  const scratch = eb.alloca(i64, 8, "promote.scratch");
  for (const s of promote) {
    const base = s.a.base as Value;
    s.addr = s.a.off === 0n ? base : eb.gep(i8, base, [constInt(i64, s.a.off)], [], null);
  }
  entry.instructions.push(term);

  // The loop's head: %first, the phis, the first-iteration addresses.
  const phis = body.instructions.filter((i) => i.opcode === "phi");
  const rest = body.instructions.slice(phis.length);
  const head = new BasicBlock(null);
  const hb = new IRBuilder().atEnd(head);
  const first = hb.phi(i1, [[constInt(i1, 1n), entry], [constInt(i1, 0n), body]], "first");
  for (const s of promote) {
    s.phi = hb.phi(s.type, [[zeroOf(s.type), entry]], null);
    s.mode = "pre";
  }
  for (const s of promote) s.sel = hb.select(first, scratch, s.addr!);

  const out: Instruction[] = [...phis, ...head.instructions];
  const b = new IRBuilder();
  const tmp = new BasicBlock(null);
  const emit = <T extends Instruction>(i: T): T => { i.parent = body; out.push(i); return i; };
  const flush = () => { for (const i of tmp.instructions) emit(i); tmp.instructions = []; };
  /** `v` as type `to` (the same size: bitcast between int and float). */
  const as = (v: Value, to: Type): Value => (typeEquals(v.type, to) ? v : b.atEnd(tmp).cast("bitcast", v, to));
  const repl = new Map<Value, Value>();
  const materialise = (s: Slot) => {
    b.atEnd(tmp);
    if (s.mode === "pre") { b.store(s.phi!, s.sel!, undefined); s.mode = "valid"; s.cur = undefined; }
    else if (s.mode === "dirty") { b.store(s.cur!, s.addr!, undefined); s.mode = "clean"; }
    flush();
  };
  let n = 0;
  for (const i of rest) {
    i.operands = i.operands.map((o) => repl.get(o) ?? o);
    for (const bd of i.bundles ?? []) bd.values = bd.values.map((o) => repl.get(o) ?? o);
    if (i.opcode === "load" || i.opcode === "store") {
      const ty = i.opcode === "load" ? i.type : i.operands[0]!.type;
      const a = mm.access(i.operands[i.opcode === "load" ? 0 : 1]!, ty)!;
      const s = invariant(a.base) ? slotOf(a) : undefined;
      if (s && promote.has(s)) {
        n++;
        if (i.opcode === "store") { s.cur = as(i.operands[0]!, s.type); flush(); s.mode = "dirty"; continue; }
        if (s.mode === "pre" || s.mode === "valid") {
          emit(i);
          const v = as(i, s.type);
          if (s.mode === "pre") { s.cur = b.atEnd(tmp).select(first, v, s.phi!); s.mode = "dirty"; }
          else { s.cur = v; s.mode = "clean"; }
          flush();
          const u = as(s.cur, i.type);
          flush();
          if (u !== i) repl.set(i, u);
          continue;
        }
        const u = as(s.cur!, i.type);
        flush();
        repl.set(i, u);
        continue;
      }
      if (i.opcode === "load") for (const x of promote) if (mm.mayAlias(a, x.a)) materialise(x);
      emit(i);
      continue;
    }
    if (isGuard(i)) {
      const pairs: Value[] = [];
      for (const s of promote) {
        if (s.mode === "pre") pairs.push(s.sel!, s.phi!);
        else if (s.mode === "dirty") pairs.push(s.addr!, s.cur!);
      }
      if (pairs.length) i.bundles = [...(i.bundles ?? []), { tag: "ykts.stores", values: pairs }];
    }
    if (i.isTerminator) {
      for (const s of promote) {
        if (s.mode === "valid" || s.mode === "pre") {
          // Stored before a load, not accessed since: the latest value is in memory.
          s.cur = b.atEnd(tmp).load(s.type, s.addr!, undefined);
          flush();
        }
        s.phi!.operands.push(s.cur!);
        s.phi!.blocks.push(body);
        const c = s.cur!;
        if (c instanceof ConstantInt || c instanceof ConstantFP || c instanceof ConstantNull || !(c instanceof Instruction) || c.parent === entry) s.phi!.operands[0] = c;
      }
    }
    emit(i);
  }
  // A slot whose value round the loop is the one it enters with (a type tag
  // the loop keeps storing): its phi is that value.
  for (const p of phis) p.operands = p.operands.map((o) => repl.get(o) ?? o);
  const same = new Map<Value, Value>();
  for (const s of promote) {
    const [e, l] = s.phi!.operands;
    if (e === l) { same.set(s.phi!, e!); s.phi = undefined; }
  }
  const fix = (o: Value) => same.get(o) ?? o;
  for (const i of out) {
    i.operands = i.operands.map(fix);
    for (const bd of i.bundles ?? []) bd.values = bd.values.map(fix);
  }
  for (const x of out) x.parent = body;
  body.instructions = out.filter((i) => !same.has(i));
  t.promotedScratch = scratch;
  t.promoted = [...promote].filter((s) => s.phi).map((s) => ({ addr: s.addr!, phi: s.phi! }));
  return n;
}
