// Builds the traced clone `F.ykts.t` of a function (docs/retrofit-abi.md §4):
// block markers that record the path, calls redirected to clones, resume
// entries at every point a trace may leave through, and the control point
// that stops the base frame, and the results of idempotent calls recorded
// like promoted values. The original is not touched here.
import {
  AttributeGroup, BasicBlock, ConstantFP, ConstantInt, ConstantNull, ConstantZero, Function as YFunction, IRBuilder,
  InlineAsm, Instruction, addBlock, addFunction, constInt, functionType, i1, i8, i32, i64, ptr, replaceAllUses, voidType,
} from "../ykir/index.js";
import type { Attr, AttrList, Constant, FloatType, Function, GlobalVariable, Module, Type, Value } from "../ykir/index.js";
import { translateToClone } from "./block-addresses.js";
import { splitBefore, firstNonPhi } from "./cfg-edit.js";
import { cloneFunction } from "./clone-function.js";
import { demote } from "./demote.js";
import { bufferType } from "./layout-consts.js";
import { frameValues } from "./resume-points.js";
import { siteDerivedValues } from "./control-point.js";
import { recompute } from "./recompute.js";
import type { FunctionAnalysis, ResumePoint } from "./resume-points.js";
import { ABORT_DEEPER_CP, PROMOTE_PREFIX, RuntimeDecls, isRuntimeOrIntrinsic, recordKindOf } from "./runtime-abi.js";
import type { RuntimeFunction } from "./runtime-abi.js";

/** Function attributes that promise things a clone (which records, and may stop early) does not keep. */
const CLONE_DROPS = new Set([
  "memory", "readnone", "readonly", "writeonly", "argmemonly", "inaccessiblememonly", "inaccessiblemem_or_argmemonly",
  "speculatable", "willreturn", "nofree", "nosync", "norecurse", "mustprogress",
]);
/** Parameter attributes that are part of the calling convention: kept on a clone's parameters. */
const ABI_PARAM_ATTRS = new Set(["byval", "byref", "sret", "inalloca", "preallocated", "inreg", "zeroext", "signext", "nest", "swiftself", "swifterror", "swiftasync"]);
const ABI_RET_ATTRS = new Set(["zeroext", "signext", "inreg"]);

export interface CloneContext {
  m: Module;
  rt: RuntimeDecls;
  /** Clones of this unit's functions, by original. */
  clones: Map<Function, Function>;
  /** Descriptor global of each instrumented function, by original. */
  descs: Map<Function, GlobalVariable>;
  /** Attribute groups with the clone-breaking attributes removed, by original group. */
  groupCache: Map<AttributeGroup, AttributeGroup>;
  /** extern_weak declarations of other units' clones, by name. */
  weakClones: Map<string, Function>;
  /** Copies of dispatch tables made for clones (they go with the clones). */
  cloneTables: Set<GlobalVariable>;
  /** Exported tables of the originals' address-taken blocks (block-addresses.ts). */
  blockTables?: Map<Function, { table: GlobalVariable; blocks: BasicBlock[] }>;
}

export const cloneName = (f: Function): string => `${f.name}.ykts.t`;
export const trampolineName = (f: Function): string => `${f.name}.ykts.r`;

/** Creates the (empty) clone function so that calls between clones can be redirected before bodies exist. */
export function declareClone(ctx: CloneContext, f: Function): void {
  ctx.clones.set(f, new YFunction(cloneName(f)));
}

export function buildClone(ctx: CloneContext, a: FunctionAnalysis): void {
  const f = a.fn;
  const { clone: c, map } = cloneFunction(ctx.m, f, ctx.clones.get(f)!, ctx.cloneTables);
  c.linkage = ["weak", "weak_odr", "linkonce", "linkonce_odr"].includes(f.linkage) ? "weak" : "";
  c.visibility = "";
  c.comdat = undefined;
  c.md = undefined;
  stripForClone(ctx, c);

  const points: ResumePoint[] = a.points.map((p) => ({
    id: p.id, kind: p.kind, inst: map.get(p.inst) as Instruction, live: p.live.map((v) => map.get(v)!),
  }));
  // The address arithmetic the resume entries recompute (resume-points.ts
  // splitDerived), with its operands as they are before demotion replaces
  // them by reloads.
  const derived = a.derived.map((v) => map.get(v) as Instruction);
  const derivedOps = new Map<Instruction, Value[]>(derived.map((v) => [v, [...v.operands]]));
  // Per control point, the live values the original's reload recomputes
  // (control-point.ts, siteDerivedValues: cpDerived). Traces do not store
  // them in the live struct, so this resume entry recomputes them too
  // rather than reading them (a recording started after traces handed over
  // read them stale). Their operands as they are before demotion.
  const siteSets = siteDerivedValues(a.sites);
  const cpDerived = new Map<ResumePoint, Instruction[]>();
  a.sites.forEach((site, k) => {
    const cp = points[a.points.indexOf(site)]!;
    cpDerived.set(cp, site.live.filter((v) => siteSets[k]!.has(v)).map((v) => map.get(v) as Instruction));
  });
  const cpDerivedOps = new Map<Instruction, Value[]>();
  for (const list of cpDerived.values()) for (const v of list) cpDerivedOps.set(v, [...v.operands]);
  const b = new IRBuilder();
  const oldEntry = c.blocks[0]!;
  const origBlocks = [...c.blocks];

  // New entry block with every static alloca of the old one.
  const e0 = addBlock(c, "ykts.entry");
  c.blocks.splice(c.blocks.indexOf(e0), 1);
  c.blocks.unshift(e0);
  const movedAllocas = new Set<Value>();
  for (const i of [...oldEntry.instructions])
    if (i.opcode === "alloca" && i.operands.every((o) => o.isConstant)) {
      oldEntry.instructions.splice(oldEntry.instructions.indexOf(i), 1);
      e0.append(i);
      movedAllocas.add(i);
    }
  // Split at every resume point: the tail is where a resume continues.
  const tails = new Map<ResumePoint, BasicBlock>();
  for (const p of points) {
    if (p.kind === "term" || p.kind === "before") tails.set(p, splitBefore(p.inst));
    else {
      const list = p.inst.parent!.instructions;
      tails.set(p, splitBefore(list[list.indexOf(p.inst) + 1]!));
    }
  }

  // Demote everything a resume entry hands over, and the results of calls
  // resumed after, into the clone's frame struct. A clone entered at a
  // guard or call resume point uses the resume buffer itself as its frame
  // (the buffer has the frame's layout, side table `frame`); otherwise the
  // frame is a local alloca. Either way the frame is memory: the clone is
  // not promoted back to SSA, which keeps clang's time on big interpreter
  // loops small; clones run only while recording and after a deopt.
  // The address an indirectbr jumps to, as it is before demotion replaces
  // the terminator's operand by a reload (see the resume entries below).
  const brAddr = new Map<ResumePoint, Value>();
  for (const p of points) if (p.kind === "term" && p.inst.opcode === "indirectbr") brAddr.set(p, p.inst.operands[0]!);
  const values = frameValues(points, derived);
  const frameTy = bufferType(values);
  b.atEnd(e0);
  const isBase = b.alloca(i1);
  const local = b.alloca(frameTy, 16);
  const rp = ctx.rt.global("__ykts_resume_point");
  const point = b.load(i32, rp, 4);
  const buf = b.load(ptr, ctx.rt.global("__ykts_resume_buf"), 8);
  const bufIsFrame = b.icmp("ugt", point, constInt(i32, a.sites.length));
  const fp = b.select(bufIsFrame, buf, local);
  b.store(constInt(i1, 0), isBase);
  const frameBlock = addBlock(c, "ykts.frame", e0);
  b.br(frameBlock);
  const field = new Map(values.map((v, k) => [v, k + 1]));
  // A frame-resident alloca's address is stored on the normal path only: a
  // resumed clone gets the address of the interrupted frame's memory.
  const { slots } = demote(c, values, frameBlock, oldEntry.instructions[0]!, {
    makeSlot: (v, fb) => fb.gep(frameTy, fp, [constInt(i32, 0), constInt(i32, field.get(v)!)]),
    storeAtEntry: movedAllocas,
  });

  // Markers at the start of each block of the original.
  const desc = ctx.descs.get(f)!;
  origBlocks.forEach((blk, bi) => {
    b.beforeInst(firstNonPhi(blk)!).call(ctx.rt.fn("__ykts_record_block"), [desc, constInt(i32, bi)]);
  });

  // Control points of the clone: the base frame stops, deeper frames abort a recording.
  for (const p of points.filter((q) => q.kind === "cp")) rewriteCloneSite(ctx, c, p, tails.get(p)!, slots, isBase);

  redirectCalls(ctx, c);
  // After demotion, so that the recorded value is what the frame keeps.
  for (const call of a.idempotentCalls) recordResult(ctx, c, map.get(call) as Instruction);

  // Resume dispatch.
  b.atEnd(frameBlock);
  const dispatch = addBlock(c, "ykts.resume", frameBlock);
  b.condBr(b.icmp("ne", point, constInt(i32, 0)), dispatch, oldEntry);
  b.atEnd(dispatch);
  b.store(constInt(i32, 0), rp, 4);
  const rbase = ctx.rt.global("__ykts_resume_base");
  const base = b.load(i8, rbase, 1);
  b.store(constInt(i8, 0), rbase, 1);
  b.store(b.icmp("ne", base, constInt(i8, 0)), isBase);
  let switchBlock = dispatch;
  if (derived.length) {
    // Every point but a control point: first the address arithmetic the
    // buffer does not carry, from what it does, in definition order. (For
    // a value not live at the point the result is never read.)
    const rederive = addBlock(c, "ykts.resume.derived", dispatch);
    const sw = addBlock(c, "ykts.resume.switch", rederive);
    b.condBr(b.icmp("ugt", point, constInt(i32, a.sites.length)), rederive, sw);
    b.atEnd(rederive);
    for (const v of derived) {
      const ops = derivedOps.get(v)!.map((o) => (slots.has(o) ? b.load(o.type, slots.get(o)!) : o));
      b.store(b.insert(recompute(v, ops)), slots.get(v)!);
    }
    b.br(sw);
    switchBlock = sw;
  }
  const bad = addBlock(c, "ykts.resume.bad");
  const cases: [ConstantInt, BasicBlock][] = [];
  for (const p of points) {
    const rb = addBlock(c, `ykts.resume${p.id}`);
    cases.push([constInt(i32, p.id), rb]);
    b.atEnd(rb);
    if (p.kind === "cp") {
      // A control point's buffer has the site's live-struct layout. Its
      // derived values are recomputed, in definition order, from what the
      // buffer gives (one whose operand has no slot here is read instead).
      const ty = bufferType(p.live);
      const usable = (o: Value) => o.vkind !== "inst" || slots.has(o);
      const redo = (cpDerived.get(p) ?? []).filter((v) => cpDerivedOps.get(v)!.every(usable));
      const again = new Set<Value>(redo);
      p.live.forEach((v, k) => {
        if (again.has(v)) return;
        const gp = b.gep(ty, buf, [constInt(i32, 0), constInt(i32, k + 1)]);
        b.store(b.load(v.type, gp), slots.get(v)!);
      });
      for (const v of redo) {
        const ops = cpDerivedOps.get(v)!.map((o) => (slots.has(o) ? b.load(o.type, slots.get(o)!) : o));
        b.store(b.insert(recompute(v, ops)), slots.get(v)!);
      }
    } else if (brAddr.has(p) && slots.has(brAddr.get(p)!) && ctx.blockTables?.has(f)) {
      // A deopt hands over an address of the original: jump to the clone's block.
      const { table, blocks } = ctx.blockTables.get(f)!;
      const slot = slots.get(brAddr.get(p)!)!;
      b.store(translateToClone(b, b.load(ptr, slot, 8), table, blocks, c, map), slot, 8);
    } else if (p.kind === "after" && slots.has(p.inst)) {
      // The callee's result arrives in the frame's incoming slot.
      b.store(b.load(p.inst.type, fp), slots.get(p.inst)!);
    }
    b.br(tails.get(p)!);
  }
  b.atEnd(switchBlock).switch(point, bad, cases);
  b.atEnd(bad);
  b.call(trapDecl(ctx.m), []);
  b.unreachable();
  sinkSlotAddresses(c, frameBlock, new Set(slots.values()));
}

/**
 * Clones are compiled at -O0, where an address computed once in the entry
 * stays in a stack slot for the whole function: with a frame of hundreds of
 * values, every entry into the clone (each recording, each deopt) paid for
 * computing and spilling hundreds of addresses. Each use gets its own copy
 * of the slot's address right before it instead, which instruction
 * selection folds into the load or store.
 */
function sinkSlotAddresses(c: Function, frameBlock: BasicBlock, slotGeps: Set<Instruction>): void {
  const b = new IRBuilder();
  for (const blk of c.blocks) {
    if (blk === frameBlock) continue;
    for (const i of [...blk.instructions]) {
      if (i.opcode === "phi" || !i.operands.some((o) => slotGeps.has(o as Instruction))) continue;
      i.operands = i.operands.map((o) => {
        if (!slotGeps.has(o as Instruction)) return o;
        const g = o as Instruction;
        return b.beforeInst(i).gep(g.elemType!, g.operands[0]!, g.operands.slice(1), g.flags ?? []);
      });
    }
  }
  // The originals stay only where the frame block itself uses them.
  const usedInFrame = new Set<Value>(frameBlock.instructions.flatMap((i) => i.operands));
  frameBlock.instructions = frameBlock.instructions.filter((i) => !slotGeps.has(i) || usedInFrame.has(i));
}

function rewriteCloneSite(ctx: CloneContext, c: Function, p: ResumePoint, tail: BasicBlock, slots: Map<Value, Instruction>, isBase: Instruction): void {
  const call = p.inst;
  const head = call.parent!;
  const loc = call.operands[1]!;
  head.instructions.splice(head.instructions.indexOf(call));
  const b = new IRBuilder().atEnd(head);
  const k = p.id - 1;
  const rec = b.icmp("ne", b.load(i8, ctx.rt.global("__ykts_recording"), 1), constInt(i8, 0));
  const isb = b.load(i1, isBase);
  const other = b.icmp("ne", loc, b.load(ptr, ctx.rt.global("__ykts_record_loc"), 8));
  const recOther = b.binop("and", rec, other);
  // The base frame recording past another location asks the runtime whether
  // to stop there (a location with a trace of its own: docs/protocol.md).
  const ask = addBlock(c, `ykts.cp${k}.ask`, head);
  const decide = addBlock(c, `ykts.cp${k}.decide`, ask);
  b.condBr(b.binop("and", isb, recOther), ask, decide);
  b.atEnd(ask);
  const askStop = b.icmp("ne", b.call(ctx.rt.fn("__ykts_record_other_loc"), [loc]), constInt(i8, 0));
  b.br(decide);
  b.atEnd(decide);
  const stopAtOther = new Instruction("phi", i1, [askStop, constInt(i1, 0)], null);
  stopAtOther.blocks = [ask, head];
  b.insert(stopAtOther);
  const stopHere = b.binop("and", isb, b.binop("or", b.binop("xor", recOther, constInt(i1, 1)), stopAtOther));
  const stop = addBlock(c, `ykts.cp${k}.stop`, decide);
  const deeper = addBlock(c, `ykts.cp${k}.deeper`, stop);
  const abort = addBlock(c, `ykts.cp${k}.abort`, deeper);
  b.condBr(stopHere, stop, deeper);
  b.atEnd(stop);
  const out = b.load(ptr, ctx.rt.global("__ykts_cp_out"), 8);
  const ty = bufferType(p.live);
  p.live.forEach((v, j) => {
    const gp = b.gep(ty, out, [constInt(i32, 0), constInt(i32, j + 1)]);
    b.store(b.load(v.type, slots.get(v)!), gp);
  });
  b.store(constInt(i32, k), ctx.rt.global("__ykts_stopped_site"), 4);
  // Which location it stopped at: the runtime counts that visit (the
  // original resumes after its control point) or enters its trace.
  b.store(loc, ctx.rt.global("__ykts_stopped_loc"), 8);
  const rt = c.fnType.ret;
  if (rt.isVoid()) b.ret(); else b.ret(zeroValue(rt));
  b.atEnd(deeper);
  b.condBr(b.binop("and", rec, b.binop("xor", isb, constInt(i1, 1))), abort, tail);
  b.atEnd(abort);
  b.call(ctx.rt.fn("__ykts_record_abort"), [constInt(i32, ABORT_DEEPER_CP)]);
  b.br(tail);
}

/**
 * Passes the result of an idempotent call through `__ykts_promote_<kind>`
 * (narrow integers widened and truncated back), so that a recording carries
 * it in execution order and the trace builder can use it as a constant.
 * Only clones do this: an original never records.
 */
function recordResult(ctx: CloneContext, c: Function, call: Instruction): void {
  const kind = recordKindOf(call.type)!;
  const list = call.parent!.instructions;
  const b = new IRBuilder().beforeInst(list[list.indexOf(call) + 1]!);
  const wide = kind === "u32" ? i32 : kind === "u64" ? i64 : null;
  const x = wide ? b.cast("zext", call, wide) : call;
  const r = b.call(ctx.rt.fn(`${PROMOTE_PREFIX}${kind}` as RuntimeFunction), [x]);
  const out = wide ? b.cast("trunc", r, call.type) : r;
  replaceAllUses(c, call, out);
  (wide ? (x as Instruction) : r).operands[0] = call;
}

/**
 * Calls in a clone go to clones while a recording runs: directly within the
 * unit, through a weak reference across units, through the runtime for
 * pointers (which answers with the pointer itself when nothing records).
 * Otherwise (a clone running after a deopt, up to the next control point)
 * they go to the originals: a callee's clone would only add markers and -O0
 * code, and a deopt just before a long call ran all of it there (minilua's
 * strings: a third of the run in clones of str_gsub, pat_match and the GC).
 */
function redirectCalls(ctx: CloneContext, c: Function): void {
  const b = new IRBuilder();
  for (const blk of c.blocks)
    for (const i of [...blk.instructions]) {
      if (i.opcode !== "call") continue;
      const callee = i.callee;
      if (callee instanceof InlineAsm) continue;
      let target: Value;
      if (callee instanceof YFunction) {
        if (isRuntimeOrIntrinsic(callee.name)) continue;
        b.beforeInst(i);
        const recording = b.icmp("ne", b.load(i8, ctx.rt.global("__ykts_recording"), 1), constInt(i8, 0));
        const local = ctx.clones.get(callee);
        if (local) target = b.select(recording, local, callee);
        else {
          const weak = weakClone(ctx, callee);
          target = b.select(b.binop("and", recording, b.icmp("ne", weak, new ConstantNull(ptr))), weak, callee);
        }
      } else {
        target = b.beforeInst(i).call(ctx.rt.fn("__ykts_clone_of"), [callee]);
      }
      i.operands[i.operands.length - 1] = target;
      if (i.attrGroups) i.attrGroups = i.attrGroups.map((g) => cleanGroup(ctx, g));
      if (i.fnAttrs) i.fnAttrs = i.fnAttrs.filter((x) => !CLONE_DROPS.has(x.kind));
    }
}

function weakClone(ctx: CloneContext, g: Function): Function {
  const name = cloneName(g);
  let w = ctx.weakClones.get(name) ?? ctx.m.getFunction(name);
  if (!w) {
    w = addFunction(ctx.m, name, g.fnType, { linkage: "extern_weak" });
    ctx.weakClones.set(name, w);
  }
  return w;
}

/** Makes the copied function honest about what a clone does, and free of debug info. */
function stripForClone(ctx: CloneContext, c: Function): void {
  c.fnAttrs = c.fnAttrs.filter((x) => !CLONE_DROPS.has(x.kind));
  c.attrGroups = c.attrGroups.map((g) => cleanGroup(ctx, g));
  // Clones are not optimised: they run only while recording and after a
  // deopt, and clang's optimiser is superlinear on an interpreter loop with
  // hundreds of resume entries (minutes for one function). optnone needs
  // noinline, and forbids alwaysinline/inlinehint.
  c.fnAttrs = [...c.fnAttrs.filter((x) => !NOT_WITH_OPTNONE.has(x.kind)), { kind: "optnone" }, { kind: "noinline" }];
  c.attrGroups = c.attrGroups.map((g) => withoutInlineHints(ctx, g));
  c.retAttrs = c.retAttrs.filter((x) => ABI_RET_ATTRS.has(x.kind));
  for (const a of c.args) {
    const abiPtr = a.attrs.some((x) => x.kind === "byval" || x.kind === "byref" || x.kind === "inalloca" || x.kind === "preallocated");
    a.attrs = a.attrs.filter((x: Attr) => ABI_PARAM_ATTRS.has(x.kind) || (abiPtr && x.kind === "align"));
  }
  for (const blk of c.blocks) {
    blk.instructions = blk.instructions.filter((i) => !(i.opcode === "call" && i.callee instanceof YFunction && (i.callee.name ?? "").startsWith("llvm.dbg.")));
    for (const i of blk.instructions) {
      i.dbg = undefined;
      if (i.md) i.md = i.md.filter((x) => x.kind !== "dbg" && x.kind !== "llvm.loop");
    }
  }
}

const NOT_WITH_OPTNONE = new Set(["alwaysinline", "inlinehint", "optnone", "noinline", "optsize", "minsize"]);

function withoutInlineHints(ctx: CloneContext, g: AttributeGroup): AttributeGroup {
  if (!g.attrs.some((x) => NOT_WITH_OPTNONE.has(x.kind))) return g;
  const n = new AttributeGroup(ctx.m.newAttrGroupId(), g.attrs.filter((x) => !NOT_WITH_OPTNONE.has(x.kind)) as AttrList);
  ctx.m.attrGroups.push(n);
  return n;
}

function cleanGroup(ctx: CloneContext, g: AttributeGroup): AttributeGroup {
  if (!g.attrs.some((x) => CLONE_DROPS.has(x.kind))) return g;
  let n = ctx.groupCache.get(g);
  if (!n) {
    n = new AttributeGroup(ctx.m.newAttrGroupId(), g.attrs.filter((x) => !CLONE_DROPS.has(x.kind)) as AttrList);
    ctx.m.attrGroups.push(n);
    ctx.groupCache.set(g, n);
  }
  return n;
}

/** `void F.ykts.r(ptr buf, ptr ret_out)`: enters the clone in resume mode (the caller has set the point and base flag). */
export function buildTrampoline(ctx: CloneContext, f: Function): Function {
  const c = ctx.clones.get(f)!;
  const t = addFunction(ctx.m, trampolineName(f), functionType(voidType, [ptr, ptr]), { linkage: c.linkage });
  const entry = addBlock(t, "entry");
  const b = new IRBuilder().atEnd(entry);
  b.store(t.args[0]!, ctx.rt.global("__ykts_resume_buf"), 8);
  const args: Value[] = c.args.map((a) => {
    const byval = a.attrs.find((x) => x.kind === "byval" || x.kind === "byref" || x.kind === "inalloca" || x.kind === "preallocated");
    return byval?.type ? b.alloca(byval.type) : zeroValue(a.type);
  });
  const call = b.call(c, args);
  if (c.cconv) call.cconv = c.cconv; // calling a fastcc clone without fastcc is undefined
  call.argAttrs = c.args.map((a) => a.attrs.filter((x) => ABI_PARAM_ATTRS.has(x.kind) || x.kind === "align"));
  if (!c.fnType.ret.isVoid()) b.store(call, t.args[1]!);
  b.ret();
  return t;
}

export function zeroValue(t: Type): Constant {
  switch (t.kind) {
    case "int": return constInt(t, 0);
    case "float": {
      const ft = t as FloatType;
      return ft.fkind === "float" || ft.fkind === "double" ? ConstantFP.of(ft, 0) : new ConstantZero(t);
    }
    case "ptr": return new ConstantNull(t);
    default: return new ConstantZero(t);
  }
}

function trapDecl(m: Module): Function {
  return m.getFunction("llvm.trap") ?? addFunction(m, "llvm.trap", functionType(voidType, []));
}
