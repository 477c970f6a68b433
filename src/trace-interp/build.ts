// The trace builder: replays a recording (the (function, block) ids the
// traced clones reported) over the program's ykir and emits trace IR
// (src/trace-ir/trace.ts).
//
// It keeps a stack of frames, the base frame being the function of the
// control point; each frame maps the ykir values of its function to trace
// values. Instructions are copied with their operands mapped; a conditional
// terminator becomes a guard on the direction the recording took; a phi
// takes the value of the recorded predecessor; a call to a function whose
// blocks were recorded is inlined (up to a depth and recursion bound; past
// it the call is made to the untraced original and its recorded blocks are
// skipped); a call to anything else is made as it is. Promoted values
// (`yk_promote`) are guarded and become constants, a call to an idempotent
// function with constant arguments becomes its recorded result, and an
// instruction whose operands are all constants is folded as it is emitted
// (const-fold.ts). The trace closes when the base frame reaches the
// control-point site again with the recording and its promoted values used
// up. Whatever it cannot translate aborts the trace (TraceAbort) with a
// reason that names the function, block and instruction.
import {
  Argument, BasicBlock, BlockAddress, Constant, ConstantExpr, ConstantInt, ConstantFP, ConstantPoison, ConstantUndef, Function, GlobalValue, GlobalVariable, arrayType,
  InlineAsm, Instruction, IntType, Module, IRBuilder, addBlock, addFunction, allFnAttrs, constInt, findAttr, floatType, functionType,
  i1, i8, i32, i64, intType, ptr, voidType, printInstruction,
} from "../ykir/index.js";
import type { Type, Value } from "../ykir/index.js";
import type { SideFunction, SideResumePoint, ValueRef } from "../instrument/side-table.js";
import { OUTLINE } from "../instrument/annotations.js";
import { recompute } from "../instrument/recompute.js";
import { hasTracedClone, promoteCallKind, recordKindOf } from "../instrument/runtime-abi.js";
import type { PromoteKind } from "../instrument/runtime-abi.js";
import { constBits, constOf, fold } from "./const-fold.js";
import { bufferLayout, layoutOf, LayoutError } from "../trace-ir/layout.js";
import { GUARD_FN, SIDE_RESTART, UPGRADE_CHECK_FN } from "../trace-ir/trace.js";
import type { GuardFrame, GuardInfo, SideStart, Trace } from "../trace-ir/trace.js";

export class TraceAbort extends Error {
  constructor(public reason: string) { super(reason); }
}

/** What the builder needs to know about the program. */
export interface ProgramView {
  /** A function with ykir (defined in some unit), by its ykir name. */
  fn(name: string): Function | undefined;
  /** Its side table entry (resume points, frame layout). */
  side(name: string): SideFunction | undefined;
  /** The annotations of a function (yk_outline, yk_idempotent), from any unit that declares it. */
  annotations?(name: string): ReadonlySet<string> | undefined;
  /** Data layout and triple for the trace module. */
  datalayout?: string;
  triple?: string;
}

export interface RecordingInput {
  name: string;
  startFn: string;
  startSite: number;
  blocks: { fn: string; block: number }[];
  /** The promoted values, in the order the program promoted them (docs/protocol.md). */
  promotes?: { kind: string; bits: bigint }[];
  /** A side trace: the recording starts where this guard's frames resume. */
  side?: SideStart;
  /** A root recording that stopped at another location's control point (that location has a trace): the trace runs once and hands over to it. */
  exitsToLoc?: boolean;
}

export interface BuildOptions {
  /**
   * A root trace starts its loop with a guard on `@ykts.upgrade_check()`
   * that resumes the base frame at the control point (docs/traces.md §7):
   * the fast tier's code asks the runtime there whether it has been
   * replaced; the LLVM tier makes the condition `true`.
   */
  upgradeCheck?: boolean;
  maxInlineDepth?: number;
  maxRecursion?: number;
  maxInstructions?: number;
  /**
   * Inline a callee whose recorded blocks run round a loop of its own (a
   * hash chain walked, a string hashed). Off by default: the call is made
   * to the original instead, as for yk_outline, so the trace does not
   * depend on how many times the loop went round (YKTS_INLINE_LOOPS=1).
   */
  inlineLoops?: boolean;
}

const CONTROL_POINT = "__ykts_control_point";
const SKIPPED_INTRINSICS = /^llvm\.(lifetime\.|dbg\.|assume$|experimental\.noalias\.scope\.decl$|invariant\.)/;
const SIMPLE_OPS = new Set([
  "add", "sub", "mul", "udiv", "sdiv", "urem", "srem", "shl", "lshr", "ashr", "and", "or", "xor",
  "fadd", "fsub", "fmul", "fdiv", "frem", "fneg", "icmp", "fcmp", "select", "freeze",
  "trunc", "zext", "sext", "fptrunc", "fpext", "fptoui", "fptosi", "uitofp", "sitofp", "ptrtoint", "inttoptr",
  "bitcast", "addrspacecast", "getelementptr", "load", "store", "extractvalue", "insertvalue",
  "extractelement", "insertelement", "shufflevector", "cmpxchg", "atomicrmw", "fence",
]);

interface FnInfo {
  fn: Function;
  side: SideFunction;
  blockIndex: Map<BasicBlock, number>;
  /** Resume points by `${kind}:${block}:${inst}`. */
  points: Map<string, SideResumePoint>;
  /** Clone frame layout: offset and size of each frame value. */
  frameSlots: Map<Value, { offset: number; size: number }>;
  frameSize: number;
  /** Calls whose result the traced clone records (side table `idempotent`). */
  idempotent: Set<Instruction>;
  /** Each resume point's live values and their frame slots, as guards at the point need them (filled on use). */
  pointLive: Map<SideResumePoint, PointValue[]>;
  /** Resume points by id, and their live values (side traces start at them; the values filled on use). */
  pointById: Map<number, SideResumePoint>;
  pointValues: Map<SideResumePoint, Value[]>;
}

/** A live value of a resume point, its frame slot, and why it cannot leave a trace (null: it can). */
interface PointValue { v: Value; offset: number; size: number; bad: string | null }

/**
 * What the builder knows of each function, per program: the same for
 * every trace (a program's ykir does not change), and for an interpreter's
 * dispatch loop (thousands of blocks and resume points) too much to work
 * out again for each one.
 */
const infoCache = new WeakMap<ProgramView, Map<string, FnInfo>>();
/** Position of each ykir instruction in its block (instead of an indexOf per guard). */
const instIndex = new WeakMap<Instruction, number>();

interface Frame {
  info: FnInfo;
  env: Map<Value, Value>;
  block: BasicBlock;
  /** Next instruction to translate in `block`. */
  idx: number;
  /** The call in the caller that this frame was inlined for (null: base frame). */
  call: Instruction | null;
}

/** Whether a value of this type can be a deopt value (docs/traces.md §2). */
function deoptable(t: Type): boolean {
  return (t.isInt() && (t as unknown as { bits: number }).bits <= 64) || t.isPtr() ||
    (t.isFloatingPoint() && (String(t) === "double" || String(t) === "float"));
}

function resolveRef(fn: Function, r: ValueRef): Value {
  if ("arg" in r) return fn.args[r.arg]!;
  return fn.blocks[r.inst[0]]!.instructions[r.inst[1]]!;
}

export class TraceBuilder {
  private infos: Map<string, FnInfo>;
  private module = new Module();
  private traceFn: Function;
  private entry: BasicBlock;
  private loop: BasicBlock;
  private b = new IRBuilder();
  private guardFn: Function;
  private guards: GuardInfo[] = [];
  private frames: Frame[] = [];
  private pos = 0;
  /** Next promoted value of the recording to consume. */
  private ppos = 0;
  private readonly promotes: { kind: string; bits: bigint }[];
  private emitted = 0;
  private readonly maxDepth: number;
  private readonly maxRecursion: number;
  private readonly inlineLoops: boolean;
  private readonly maxInsts: number;
  private readonly upgradeCheck: boolean;

  constructor(private prog: ProgramView, private rec: RecordingInput, opts: BuildOptions = {}) {
    this.maxDepth = opts.maxInlineDepth ?? 24;
    this.maxRecursion = opts.maxRecursion ?? 3;
    this.inlineLoops = opts.inlineLoops ?? false;
    this.maxInsts = opts.maxInstructions ?? Number(process.env.YKTS_MAX_TRACE_INSTS ?? 20000);
    this.upgradeCheck = opts.upgradeCheck ?? false;
    this.promotes = rec.promotes ?? [];
    let infos = infoCache.get(prog);
    if (!infos) { infos = new Map(); infoCache.set(prog, infos); }
    this.infos = infos;
    if (prog.datalayout) this.module.datalayout = prog.datalayout;
    if (prog.triple) this.module.triple = prog.triple;
    const params = rec.side ? this.sideParamTypes(rec.side) : [];
    this.traceFn = addFunction(this.module, rec.name, functionType(i64, [ptr, ...params]), { argNames: ["live", ...params.map((_, k) => `in${k}`)] });
    this.entry = addBlock(this.traceFn, "entry");
    this.loop = addBlock(this.traceFn, "loop");
    this.guardFn = addFunction(this.module, GUARD_FN, functionType(voidType, [i1, i32]));
  }

  private abort(why: string): never {
    const f = this.frames[this.frames.length - 1];
    const where = f ? ` (in ${f.info.fn.name} block ${f.info.blockIndex.get(f.block)} instruction ${f.idx})` : "";
    throw new TraceAbort(`${why}${where}`);
  }

  private info(name: string): FnInfo {
    let inf = this.infos.get(name);
    if (inf) return inf;
    const fn = this.prog.fn(name);
    const side = this.prog.side(name);
    if (!fn) this.abort(`no ykir for function ${name}`);
    if (!side) this.abort(`no side table entry for function ${name} (its unit was built without instrumentation)`);
    const blockIndex = new Map(fn.blocks.map((b, i) => [b, i] as const));
    const points = new Map<string, SideResumePoint>();
    for (const p of side.resume) points.set(`${p.kind}:${p.at[0]}:${p.at[1]}`, p);
    const frameVals = side.frame.map((r) => resolveRef(fn, r));
    let layout: { offsets: number[]; size: number };
    try {
      layout = bufferLayout(frameVals.map((v) => v.type));
    } catch (e) {
      this.abort(`frame layout of ${name}: ${(e as Error).message}`);
    }
    const frameSlots = new Map<Value, { offset: number; size: number }>();
    frameVals.forEach((v, k) => {
      let size = 0;
      try { size = layoutOf(v.type).size; } catch (e) { if (!(e instanceof LayoutError)) throw e; }
      frameSlots.set(v, { offset: layout.offsets[k]!, size });
    });
    const idempotent = new Set<Instruction>();
    for (const [b, i] of side.idempotent ?? []) {
      const call = fn.blocks[b]?.instructions[i];
      if (!call || call.opcode !== "call") this.abort(`side table of ${name}: no call at ${b}:${i} for an idempotent result`);
      idempotent.add(call);
    }
    inf = { fn, side, blockIndex, points, frameSlots, frameSize: Math.ceil(layout.size / 16) * 16, idempotent,
      pointLive: new Map(), pointById: new Map(side.resume.map((r) => [r.id, r] as const)), pointValues: new Map() };
    this.infos.set(name, inf);
    return inf;
  }

  private get top(): Frame { return this.frames[this.frames.length - 1]!; }

  /** The trace value of an ykir operand in frame f. */
  private map(f: Frame, v: Value): Value {
    if (v instanceof Argument || v instanceof Instruction) {
      const t = f.env.get(v);
      if (t === undefined) this.abort(`value ${printInstruction(v as Instruction).slice(0, 80)} used before it was defined on the recorded path`);
      return t;
    }
    if (v instanceof BlockAddress) return this.blockAddress(v.fn, v.block);
    if (v instanceof Constant) {
      this.checkConstant(v);
      return v;
    }
    if (v instanceof InlineAsm) return v;
    return this.abort(`operand of kind ${v.vkind} not supported`);
  }

  private blockAddrs = new Map<BasicBlock, Value>();
  private blockTables = new Map<string, GlobalVariable>();

  /**
   * `blockaddress(@fn, %block)` in a trace: a load, in the entry block, from
   * the table the instrumenter exported (src/instrument/block-addresses.ts).
   */
  private blockAddress(fn: Function, block: BasicBlock): Value {
    const hit = this.blockAddrs.get(block);
    if (hit) return hit;
    const inf = this.info(fn.name!);
    const bi = inf.blockIndex.get(block);
    const k = bi === undefined ? -1 : (inf.side.blockAddrs ?? []).indexOf(bi);
    if (k < 0) this.abort(`no exported address for block ${bi} of ${fn.name} (rebuild with this ykts cc)`);
    const n = inf.side.blockAddrs!.length;
    let table = this.blockTables.get(fn.name!);
    if (!table) {
      table = new GlobalVariable(`${fn.name}.ykts.ba`);
      table.valueType = arrayType(n, ptr);
      table.isConstantGlobal = true;
      this.blockTables.set(fn.name!, table);
    }
    const b = new IRBuilder().atEnd(this.entry);
    const v = b.load(ptr, b.gep(table.valueType, table, [constInt(i64, 0), constInt(i64, k)], ["inbounds"]), 8);
    this.blockAddrs.set(block, v);
    return v;
  }

  private checkConstant(c: Constant): void {
    if (c instanceof BlockAddress) this.abort("blockaddress constants are not supported in traces yet");
    if (c instanceof GlobalValue) {
      if (c.name === null) this.abort("reference to an unnamed global");
      return;
    }
    if (c instanceof ConstantExpr) for (const o of c.operands) this.checkConstant(o);
    const elems = (c as { elems?: Constant[] }).elems;
    if (elems) for (const e of elems) this.checkConstant(e);
  }

  /** Copies an instruction with mapped operands into the loop body. */
  private emitCopy(f: Frame, inst: Instruction, ops: Value[] = inst.operands.map((o) => this.map(f, o))): Instruction {
    const n = new Instruction(inst.opcode, inst.type, ops, null);
    n.flags = [...inst.flags];
    for (const k of ["predicate", "elemType", "align", "ordering", "failureOrdering", "syncscope", "rmwOp", "indices", "addrspace", "fnType", "cconv", "retAttrs", "argAttrs", "fnAttrs"] as const) {
      const v = (inst as unknown as Record<string, unknown>)[k];
      if (v !== undefined) (n as unknown as Record<string, unknown>)[k] = v;
    }
    if (inst.opcode === "call" && inst.tail === "notail") n.tail = "notail";
    return this.append(n);
  }

  private append(n: Instruction): Instruction {
    if (++this.emitted > this.maxInsts) this.abort(`the trace is longer than ${this.maxInsts} instructions`);
    this.loop.append(n);
    return n;
  }

  /** Appends a new instruction (operands already trace values) unless it folds. */
  private emit(n: Instruction): Value {
    return fold(n, n.operands) ?? this.append(n);
  }

  private icmp(pred: string, a: Value, b: Value): Value {
    const n = new Instruction("icmp", i1, [a, b], null);
    n.predicate = pred;
    return this.emit(n);
  }

  // ---- guards ------------------------------------------------------------------

  private indexIn(at: Instruction): number {
    let k = instIndex.get(at);
    if (k === undefined) {
      at.parent!.instructions.forEach((x, j) => instIndex.set(x, j));
      k = instIndex.get(at) ?? -1;
    }
    return k;
  }

  /**
   * A resume point's live values and their frame slots, looked up and
   * checked once per point (every guard at the point needs them); `bad` is
   * the reason a value cannot leave a trace.
   */
  private liveOf(f: Frame, p: SideResumePoint): PointValue[] {
    let out = f.info.pointLive.get(p);
    if (out) return out;
    out = [];
    for (const r of p.live) {
      const v = resolveRef(f.info.fn, r);
      const slot = f.info.frameSlots.get(v);
      if (!slot) this.abort(`resume point ${p.id} of ${f.info.fn.name}: live value not in the frame layout`);
      const t = v.type;
      out.push({ v, offset: slot.offset, size: slot.size, bad: !deoptable(t) || slot.size === 0 ? `a live value of type ${t} cannot leave a trace` : null });
    }
    f.info.pointLive.set(p, out);
    return out;
  }

  private deoptFrame(f: Frame, kind: string, at: Instruction, values: Value[]): GuardFrame {
    const bi = f.info.blockIndex.get(at.parent!)!;
    const ii = this.indexIn(at);
    const p = f.info.points.get(`${kind}:${bi}:${ii}`);
    if (!p) this.abort(`no ${kind} resume point at ${f.info.fn.name} block ${bi} instruction ${ii}`);
    const slots: GuardFrame["slots"] = [];
    for (const l of this.liveOf(f, p)) {
      if (l.bad !== null) this.abort(l.bad);
      slots.push({ offset: l.offset, size: l.size, source: 0, payload: 0n });
      values.push(this.map(f, l.v));
    }
    return { fn: f.info.fn.name!, resumePoint: p.id, kind, bufSize: f.info.frameSize, slots };
  }

  /** Emits `guard(cond)` whose failure resumes the top frame at (kind, at); none when cond is the constant true. */
  private guard(cond: Value, kind: string, at: Instruction, what: string): void {
    const known = constBits(cond);
    if (known === 1n) return;
    if (known === 0n) this.abort(`${what}: the recorded direction contradicts a condition that is constant in the trace`);
    const values: Value[] = [];
    const frames: GuardFrame[] = [];
    for (let j = 0; j < this.frames.length; j++) {
      const f = this.frames[j]!;
      if (j < this.frames.length - 1) frames.push(this.deoptFrame(f, "after", this.frames[j + 1]!.call!, values));
      else frames.push(this.deoptFrame(f, kind, at, values));
    }
    const id = this.guards.length;
    this.guards.push({ id, frames, what });
    const g = new Instruction("call", voidType, [cond, constInt(i32, id), this.guardFn], null);
    g.fnType = this.guardFn.fnType;
    g.bundles = [{ tag: "deopt", values }];
    this.append(g);
  }

  private not(v: Value): Value {
    return this.emit(new Instruction("xor", i1, [v, constInt(i1, 1)], null));
  }

  // ---- promoted values -----------------------------------------------------------

  /** Consumes the recording's next promoted value, which must be of kind `kind`. */
  private nextPromote(kind: PromoteKind, what: string): bigint {
    const p = this.promotes[this.ppos];
    if (!p) this.abort(`${what}: the recording has no promoted value left (it has ${this.promotes.length})`);
    if (p.kind !== kind) this.abort(`${what}: promoted value #${this.ppos} was recorded as ${p.kind}, expected ${kind}`);
    this.ppos++;
    return p.bits;
  }

  private here(f: Frame): string { return `${f.info.fn.name}#${f.info.blockIndex.get(f.block)}`; }

  /**
   * `__ykts_promote_<kind>(x)`: a guard `x == C` resuming before the call
   * (none when x is already the constant C), then C. Floating-point values
   * are compared by their bits (bitcast to an integer): `fcmp oeq` would let
   * -0.0 pass for 0.0 and never let a NaN pass.
   */
  private promote(f: Frame, inst: Instruction, kind: PromoteKind): void {
    const bits = this.nextPromote(kind, `promote in ${this.here(f)}`);
    const x = this.map(f, inst.args[0]!);
    const t = inst.type;
    const c = constantOfBits(t, bits);
    const known = constBits(x);
    if (known !== undefined) {
      if (known !== constBits(c)) this.abort(`promote in ${this.here(f)}: the value is the constant ${known} in the trace, the recording has ${bits}`);
    } else {
      let cond: Value;
      if (c instanceof ConstantFP) {
        const it = intType((t as unknown as { bits: number }).bits);
        const xb = this.append(new Instruction("bitcast", it, [x], null));
        cond = this.icmp("eq", xb, constInt(it, bits));
      } else cond = this.icmp("eq", x, c);
      this.guard(cond, "before", inst, `promote ${this.here(f)} == 0x${BigInt.asUintN(64, bits).toString(16)}`);
    }
    f.env.set(inst, c);
  }

  /**
   * A call to an idempotent function whose result the clone recorded: its
   * recorded blocks are skipped, and with every argument a constant in the
   * trace the call is its recorded result; otherwise it is made as it is.
   */
  private idempotentCall(f: Frame, inst: Instruction, name: string): void {
    if (this.prog.fn(name)) this.skipCall(name);
    const bits = this.nextPromote(recordKindOf(inst.type)!, `result of the idempotent call to ${name} in ${this.here(f)}`);
    const args = inst.args.map((a) => this.map(f, a));
    if (args.every((a) => a instanceof Constant && !(a instanceof ConstantUndef) && !(a instanceof ConstantPoison))) {
      f.env.set(inst, constantOfBits(inst.type, bits));
      return;
    }
    f.env.set(inst, this.emitCopy(f, inst, [...args, this.map(f, inst.callee!)]));
  }

  // ---- the recording -------------------------------------------------------------

  private peek(): { fn: string; block: number } | undefined { return this.rec.blocks[this.pos]; }

  /** Consumes the next recorded block, which must be a block of the top frame's function. */
  private nextBlockInFrame(): BasicBlock {
    const e = this.peek();
    const f = this.top;
    if (!e) this.abort("the recording ended in the middle of a frame");
    if (e.fn !== f.info.fn.name) this.abort(`recorded ${e.fn}#${e.block} where a block of ${f.info.fn.name} was expected`);
    const blk = f.info.fn.blocks[e.block];
    if (!blk) this.abort(`${e.fn} has no block ${e.block}`);
    this.pos++;
    return blk;
  }

  /** Moves the top frame to `to` (a successor of its block), resolving phis. */
  private enter(to: BasicBlock): void {
    const f = this.top;
    const from = f.block;
    const phis: [Instruction, Value][] = [];
    for (const p of to.instructions) {
      if (p.opcode !== "phi") break;
      const k = p.blocks.indexOf(from);
      if (k < 0) this.abort(`phi in ${f.info.fn.name} block ${f.info.blockIndex.get(to)} has no incoming value from block ${f.info.blockIndex.get(from)}`);
      phis.push([p, this.map(f, p.operands[k]!)]);
    }
    for (const [p, v] of phis) f.env.set(p, v);
    f.block = to;
    f.idx = phis.length;
  }

  /**
   * Skips the recorded blocks of a call made to the untraced original of
   * `name`; returns whether they went round a loop of `name` itself (a
   * block of its frame recorded twice).
   */
  private skipCall(name: string): boolean {
    const e = this.peek();
    if (!e || e.fn !== name || e.block !== 0) this.abort(`the call to ${name} was not recorded`);
    this.pos++;
    const inf = this.info(name);
    let blk = inf.fn.blocks[0]!;
    const seen = new Set<BasicBlock>();
    let looped = false;
    for (;;) {
      if (seen.has(blk)) looped = true;
      seen.add(blk);
      for (const inst of blk.instructions) {
        if (inst.opcode !== "call") continue;
        // The skipped code ran in traced clones: its promotes and idempotent
        // results are in the recording, in this order.
        const pk = promoteCallKind(inst);
        if (pk !== null) { this.nextPromote(pk, `promote in ${name} (called, not inlined)`); continue; }
        const c = inst.callee;
        if (c instanceof Function) {
          const g = c.name ? this.prog.fn(c.name) : undefined;
          if (g && hasTracedClone(g)) this.skipCall(c.name!);
        } else if (!(c instanceof InlineAsm)) {
          const n = this.peek();
          if (n && n.block === 0 && this.prog.fn(n.fn)) this.skipCall(n.fn);
        }
        if (inf.idempotent.has(inst)) this.nextPromote(recordKindOf(inst.type)!, `idempotent result in ${name} (called, not inlined)`);
      }
      const t = blk.terminator;
      if (!t) this.abort(`${name}: block without terminator`);
      if (t.opcode === "ret") return looped;
      const n = this.peek();
      if (!n || n.fn !== name) this.abort(`while skipping ${name}: recorded ${n ? `${n.fn}#${n.block}` : "nothing"} after block ${inf.blockIndex.get(blk)}`);
      const next = inf.fn.blocks[n.block];
      if (!next || !t.successors.includes(next)) this.abort(`while skipping ${name}: ${n.fn}#${n.block} is not a successor of block ${inf.blockIndex.get(blk)}`);
      this.pos++;
      blk = next;
    }
  }

  private canInline(callee: Function): string | null {
    if (this.prog.annotations?.(callee.name!)?.has(OUTLINE)) return "yk_outline";
    if (this.frames.length > this.maxDepth) return "too deep";
    const n = this.frames.filter((f) => f.info.fn === callee).length;
    if (n >= this.maxRecursion) return "recursion";
    const fa = allFnAttrs(callee);
    if (findAttr(fa, "returns_twice")) return "returns twice";
    if (!this.inlineLoops && this.recordedLoop(callee.name!)) return "loop";
    return null;
  }

  /** Whether the recorded call to `name` at the current position goes round a loop of its own (the recording is not consumed). */
  private recordedLoop(name: string): boolean {
    const pos = this.pos, ppos = this.ppos;
    try {
      return this.skipCall(name);
    } catch (e) {
      if (e instanceof TraceAbort) return false; // inlining it will say what is wrong
      throw e;
    } finally {
      this.pos = pos;
      this.ppos = ppos;
    }
  }

  private inline(callee: Function, call: Instruction, caller: Frame): void {
    const inf = this.info(callee.name!);
    const e = this.peek();
    if (!e || e.fn !== callee.name || e.block !== 0) this.abort(`the call to ${callee.name} was not recorded`);
    this.pos++; // the callee's entry block
    const env = new Map<Value, Value>();
    callee.args.forEach((a, k) => env.set(a, this.map(caller, call.args[k]!)));
    this.frames.push({ info: inf, env, block: callee.blocks[0]!, idx: 0, call });
  }

  private opaqueCall(f: Frame, inst: Instruction): void {
    const attrs = allFnAttrs(inst);
    const c = inst.callee;
    if (findAttr(attrs, "returns_twice") || (c instanceof Function && findAttr(allFnAttrs(c), "returns_twice")))
      this.abort("a call that returns twice (setjmp) cannot be in a trace");
    const n = this.emitCopy(f, inst);
    f.env.set(inst, n);
  }

  private call(f: Frame, inst: Instruction): void {
    const c = inst.callee;
    if (inst.opcode !== "call") this.abort(`${inst.opcode} is not supported in traces`);
    if (c instanceof InlineAsm) return this.opaqueCall(f, inst);
    if (c instanceof Function && c.name !== null) {
      const name = c.name;
      if (name === CONTROL_POINT) return; // handled by the caller for the base frame
      const pk = promoteCallKind(inst);
      if (pk !== null) return this.promote(f, inst, pk);
      if (SKIPPED_INTRINSICS.test(name)) return;
      if (f.info.idempotent.has(inst)) return this.idempotentCall(f, inst, name);
      const callee = this.prog.fn(name);
      if (callee && hasTracedClone(callee)) {
        const why = this.canInline(callee);
        if (why === null) return this.inline(callee, inst, f);
        this.skipCall(name);
        return this.opaqueCall(f, inst);
      }
      return this.opaqueCall(f, inst);
    }
    // Indirect call: the recording says whether the target had ykir.
    const e = this.peek();
    const target = e && e.block === 0 ? this.prog.fn(e.fn) : undefined;
    if (!target) return this.opaqueCall(f, inst);
    const fp = this.map(f, c);
    this.guard(this.icmp("eq", fp, target), "before", inst, `indirect call in ${f.info.fn.name} -> ${target.name}`);
    const why = this.canInline(target);
    if (why === null) return this.inline(target, inst, f);
    this.skipCall(target.name!);
    const n = this.emitCopy(f, inst);
    n.operands[n.operands.length - 1] = target;
    f.env.set(inst, n);
  }

  private terminator(f: Frame, t: Instruction): "closed" | void {
    const here = `${f.info.fn.name}#${f.info.blockIndex.get(f.block)}`;
    switch (t.opcode) {
      case "br": {
        const to = this.nextBlockInFrame();
        if (t.operands.length === 0) {
          if (t.blocks[0] !== to) this.abort(`recorded block ${f.info.blockIndex.get(to)} is not the successor`);
        } else {
          const [thenB, elseB] = t.blocks as [BasicBlock, BasicBlock];
          if (to !== thenB && to !== elseB) this.abort(`recorded block ${f.info.blockIndex.get(to)} is not a successor`);
          if (thenB !== elseB) {
            const c = this.map(f, t.operands[0]!);
            this.guard(to === thenB ? c : this.not(c), "term", t, `br ${here} -> ${f.info.blockIndex.get(to)}`);
          }
        }
        return this.enter(to);
      }
      case "switch": {
        const to = this.nextBlockInFrame();
        const x = this.map(f, t.operands[0]!);
        const cases = t.operands.slice(1).map((v, k) => ({ v, dest: t.blocks[k + 1]! }));
        const isDefault = t.blocks[0] === to;
        if (!isDefault && !cases.some((c) => c.dest === to)) this.abort(`recorded block ${f.info.blockIndex.get(to)} is not a successor`);
        // Taken `to` <=> x is one of the values going to `to`, or, when `to` is the default, none of the others.
        const pick = cases.filter((c) => (isDefault ? c.dest !== to : c.dest === to));
        if (pick.length > 0) {
          let acc: Value | null = null;
          for (const c of pick) {
            const cmp = this.icmp(isDefault ? "ne" : "eq", x, c.v);
            acc = acc === null ? cmp : this.emit(new Instruction(isDefault ? "and" : "or", i1, [acc, cmp], null));
          }
          this.guard(acc!, "term", t, `switch ${here} -> ${f.info.blockIndex.get(to)}`);
        }
        return this.enter(to);
      }
      case "ret": {
        if (this.frames.length === 1) this.abort("the base frame returns: the trace left its frame");
        const v = t.operands.length ? this.map(f, t.operands[0]!) : null;
        this.frames.pop();
        const caller = this.top;
        const call = f.call!;
        if (v !== null) caller.env.set(call, v);
        caller.idx = caller.block.instructions.indexOf(call) + 1;
        return;
      }
      case "indirectbr": {
        const to = this.nextBlockInFrame();
        if (!t.blocks.includes(to)) this.abort(`recorded block ${f.info.blockIndex.get(to)} is not a destination of the indirectbr`);
        const addr = this.map(f, t.operands[0]!);
        const want = this.blockAddress(f.info.fn, to);
        if (addr !== want) {
          const eq = this.append(new Instruction("icmp", i1, [addr, want], null));
          eq.predicate = "eq";
          this.guard(eq, "term", t, `indirectbr ${here} -> ${f.info.blockIndex.get(to)}`);
        }
        return this.enter(to);
      }
      case "unreachable":
        return this.abort("the recorded path reaches unreachable");
      default:
        return this.abort(`terminator ${t.opcode} is not supported in traces`);
    }
  }

  build(): Trace {
    if (this.rec.side) return this.buildSide(this.rec.side);
    const base = this.info(this.rec.startFn);
    const site = base.side.resume.find((p) => p.kind === "cp" && p.id === this.rec.startSite + 1);
    if (!site) this.abort(`${this.rec.startFn} has no control-point site #${this.rec.startSite}`);
    const live = site.live.map((r) => resolveRef(base.fn, r));
    const liveTypes = live.map((v) => v.type);
    let lay: { offsets: number[]; size: number };
    try { lay = bufferLayout(liveTypes); } catch (e) { this.abort(`live struct of site #${this.rec.startSite}: ${(e as Error).message}`); }

    // entry: the site's live values; loop: a phi for each, but for those
    // the original recomputes from the others (derivedLive), which the
    // trace recomputes too, at entry and at the top of the loop.
    const liveArg = this.traceFn.args[0]!;
    this.b.atEnd(this.entry);
    const env = new Map<Value, Value>();
    const once = this.rec.exitsToLoc === true;
    const liveLoads = new Map<Value, number>();
    const derived = this.derivedLive(base, live);
    const top: Value[] = new Array(live.length);
    live.forEach((v, k) => {
      if (derived.has(k)) return;
      const p = this.b.gep(i8, liveArg, [constInt(i64, lay.offsets[k]!)], ["inbounds"]);
      const ld = this.b.load(v.type, p);
      if (once) {
        liveLoads.set(ld, lay.offsets[k]!);
        top[k] = ld;
        return;
      }
      const phi = new Instruction("phi", v.type, [ld], null);
      phi.blocks = [this.entry];
      this.loop.append(phi);
      top[k] = phi;
    });
    const at = new IRBuilder().atEnd(once ? this.entry : this.loop);
    const index = new Map<Value, number>(live.map((v, k) => [v, k]));
    for (const [k, v] of derived) top[k] = at.insert(recompute(v, v.operands.map((o) => { const j = index.get(o); return j === undefined ? o : top[j]!; })));
    live.forEach((v, k) => env.set(v, top[k]!));
    let upgradeGuard: number | undefined;
    if (this.upgradeCheck && !once && liveTypes.every((t) => deoptable(t))) {
      // Leaving here resumes the base frame at the control point with the
      // iteration's live values: the buffer of a `cp k` point has the live
      // struct's layout (docs/retrofit-abi.md §4).
      const slots = liveTypes.map((t, k) => ({ offset: lay.offsets[k]!, size: layoutOf(t).size, source: 0 as const, payload: 0n }));
      upgradeGuard = this.guards.length;
      this.guards.push({ id: upgradeGuard, what: "upgrade check", frames: [{ fn: base.fn.name!, resumePoint: site.id, kind: "cp", bufSize: Math.ceil(lay.size / 16) * 16, slots }] });
      const checkFn = addFunction(this.module, UPGRADE_CHECK_FN, functionType(i1, []));
      const c = new Instruction("call", i1, [checkFn], null);
      c.fnType = checkFn.fnType;
      this.loop.append(c);
      const g = new Instruction("call", voidType, [c, constInt(i32, upgradeGuard), this.guardFn], null);
      g.fnType = this.guardFn.fnType;
      g.bundles = [{ tag: "deopt", values: [...top] }];
      this.loop.append(g);
    }
    const siteBlock = base.fn.blocks[site.at[0]]!;
    const siteCall = siteBlock.instructions[site.at[1]]!;
    this.frames.push({ info: base, env, block: siteBlock, idx: site.at[1] + 1, call: null });
    this.replay(siteCall);
    if (once) {
      this.handOver(live, lay.offsets, liveLoads, false, siteCall, derived);
    } else {
      // Close the loop: the live values at the end of the iteration.
      const baseFrame = this.frames[0]!;
      live.forEach((v, k) => {
        const phi = top[k]!;
        if (derived.has(k) || !(phi instanceof Instruction)) return;
        phi.operands.push(this.map(baseFrame, v));
        phi.blocks.push(this.loop);
      });
      this.b.atEnd(this.entry).br(this.loop);
      this.b.atEnd(this.loop).br(this.loop);
    }
    return {
      name: this.rec.name, ...(once ? { exitsToLoc: true } : {}), startFn: this.rec.startFn, site: this.rec.startSite,
      liveTypes, liveOffsets: lay.offsets, liveSize: lay.size,
      module: this.module, fn: this.traceFn, guards: this.guards, recordedBlocks: this.rec.blocks.length,
      upgradeGuard,
    };
  }

  /**
   * The end of a trace that does not loop, at the control point `siteCall`
   * of its base frame: the live values into the live struct, but for those
   * it still holds (loaded from the same offset at entry: only the runtime
   * writes the live struct, and not while a trace runs); then, unless it
   * ends at the root trace's location (SIDE_RESTART), the location it
   * stopped at into `@__ykts_stopped_loc` for the runtime to enter that
   * location's trace, and the site as the result.
   */
  private handOver(live: Value[], offsets: number[], liveLoads: Map<Value, number>, atRoot: boolean, siteCall: Instruction, derived: Map<number, Instruction>): void {
    const liveArg = this.traceFn.args[0]!;
    const baseFrame = this.frames[0]!;
    const out = new IRBuilder().atEnd(this.loop);
    live.forEach((v, k) => {
      if (derived.has(k)) return; // nobody reads its slot
      const val = this.map(baseFrame, v);
      if (liveLoads.get(val) === offsets[k]) return;
      const p = out.gep(i8, liveArg, [constInt(i64, offsets[k]!)], ["inbounds"]);
      this.emitted++;
      out.store(val, p);
    });
    if (!atRoot) {
      const locArg = siteCall.operands[1]!;
      const loc = locArg instanceof Constant ? locArg : baseFrame.env.get(locArg);
      if (loc !== undefined) {
        const g = new GlobalVariable("__ykts_stopped_loc");
        g.valueType = ptr;
        this.emitted++;
        out.store(loc, g);
      }
    }
    this.b.atEnd(this.entry).br(this.loop);
    out.ret(constInt(i64, atRoot ? SIDE_RESTART : BigInt(this.rec.startSite)));
  }

  /**
   * The start site's live values that the original recomputes from the
   * others after the runtime returns (side table `cpDerived`), by index, in
   * an order where each one's operands come first: nobody reads their
   * live-struct slots, so a trace recomputes them instead of loading them
   * and does not store them when it hands back. One with an operand that
   * is neither a constant nor another live value of the site keeps its slot.
   */
  private derivedLive(inf: FnInfo, live: Value[]): Map<number, Instruction> {
    const out = new Map<number, Instruction>();
    const cand = new Set(inf.side.cpDerived?.[this.rec.startSite] ?? []);
    if (cand.size === 0) return out;
    const index = new Map<Value, number>(live.map((v, k) => [v, k]));
    for (let progress = true; progress;) {
      progress = false;
      for (const k of cand) {
        const v = live[k];
        if (!(v instanceof Instruction)) { cand.delete(k); continue; }
        const ready = v.operands.every((o) => {
          const j = index.get(o);
          if (j !== undefined) return !cand.has(j) || out.has(j);
          return o instanceof ConstantInt;
        });
        if (!ready) continue;
        out.set(k, v);
        cand.delete(k);
        progress = true;
      }
    }
    return out;
  }

  /** The resume point a guard frame names, and its live values. */
  private sidePoint(gf: GuardFrame): { inf: FnInfo; p: SideResumePoint; values: Value[] } {
    const inf = this.info(gf.fn);
    const p = inf.pointById.get(gf.resumePoint);
    if (!p) this.abort(`the parent guard resumes ${gf.fn} at point ${gf.resumePoint}, which its side table does not have`);
    if (p.live.length !== gf.slots.length) this.abort(`the parent guard's frame of ${gf.fn} has ${gf.slots.length} slots, its resume point ${p.id} ${p.live.length} live values`);
    let values = inf.pointValues.get(p);
    if (!values) { values = p.live.map((r) => resolveRef(inf.fn, r)); inf.pointValues.set(p, values); }
    return { inf, p, values };
  }

  /** The types of a side trace's parameters after the live struct: the guard's source-0 values in bundle order. */
  private sideParamTypes(side: SideStart): Type[] {
    const out: Type[] = [];
    for (const gf of side.frames) {
      const { values } = this.sidePoint(gf);
      gf.slots.forEach((s, k) => { if (s.source === 0) out.push(values[k]!.type); });
    }
    return out;
  }

  /**
   * A side trace: its frames start as the parent guard's resume them, with
   * each value taken from where the runtime would take it (a parameter for
   * source 0, the live struct, a constant, or another slot plus an offset);
   * the recording continues from there until the base frame reaches the
   * root trace's control point (or another location's, which has a trace),
   * where the live values go back into the live struct and the side trace
   * returns SIDE_RESTART (or the site, for the interpreter to go on there).
   */
  private buildSide(side: SideStart): Trace {
    const base = this.info(this.rec.startFn);
    const site = base.side.resume.find((p) => p.kind === "cp" && p.id === this.rec.startSite + 1);
    if (!site) this.abort(`${this.rec.startFn} has no control-point site #${this.rec.startSite}`);
    if (side.frames.length === 0 || side.frames[0]!.fn !== this.rec.startFn) this.abort(`the parent guard's base frame is not ${this.rec.startFn}`);
    const live = site.live.map((r) => resolveRef(base.fn, r));
    const liveTypes = live.map((v) => v.type);
    let lay: { offsets: number[]; size: number };
    try { lay = bufferLayout(liveTypes); } catch (e) { this.abort(`live struct of site #${this.rec.startSite}: ${(e as Error).message}`); }
    const liveArg = this.traceFn.args[0]!;
    const b = this.b.atEnd(this.entry);
    let arg = 1;
    let caller: { inf: FnInfo; p: SideResumePoint } | null = null;
    // The entry's loads from the live struct, by offset: a live value the
    // side trace hands back unchanged needs no store (below).
    const liveLoads = new Map<Value, number>();
    const siteOffset = new Map<Value, number>(live.map((v, k) => [v, lay.offsets[k]!]));
    // Slots nobody reads (derivedLive): not loaded, not stored.
    const derived = this.derivedLive(base, live);
    const unread = new Set([...derived.keys()].map((k) => lay.offsets[k]!));
    for (const gf of side.frames) {
      const { inf, p, values } = this.sidePoint(gf);
      const env = new Map<Value, Value>();
      gf.slots.forEach((s, k) => {
        const v = values[k]!;
        if (s.source === 0) env.set(v, this.traceFn.args[arg++]!);
        else if (s.source === 1) {
          if (unread.has(Number(s.payload))) this.abort(`the parent guard reads the live struct at offset ${s.payload}, a slot nobody writes`);
          const ld = b.load(v.type, b.gep(i8, liveArg, [constInt(i64, Number(s.payload))], ["inbounds"]));
          liveLoads.set(ld, Number(s.payload));
          env.set(v, ld);
        }
        else if (s.source === 2) {
          if (!(v.type instanceof IntType) && !v.type.isPtr()) this.abort(`a constant deopt value of type ${v.type}`);
          const bits = v.type instanceof IntType ? BigInt.asUintN(v.type.bits, s.payload) : s.payload;
          env.set(v, constantOfBits(v.type, bits));
        }
      });
      gf.slots.forEach((s, k) => {
        if (s.source !== 3) return;
        const baseOff = Number(s.payload >> 32n);
        const j = gf.slots.findIndex((x) => x.offset === baseOff);
        const bv = j < 0 ? undefined : env.get(values[j]!);
        if (bv === undefined) this.abort(`a derived deopt value of ${gf.fn} whose base slot (offset ${baseOff}) is not in the frame`);
        const delta = BigInt.asIntN(32, s.payload & 0xffffffffn);
        env.set(values[k]!, b.gep(i8, bv, [constInt(i64, delta)]));
      });
      // The function's address arithmetic that resume points do not carry,
      // recomputed as the resume entry does (side table `derived`): each
      // value whose operands the frame has (the others are not live here).
      // In the base frame, one that is a live value of the site and whose
      // operands all still are what the live struct holds is what the live
      // struct holds too (the site's live values are computed from one
      // another): loaded from there, it needs no store at the end.
      const isBase = caller === null;
      for (const r of inf.side.derived ?? []) {
        const v = resolveRef(inf.fn, r);
        if (!(v instanceof Instruction) || env.has(v)) continue;
        const at = isBase ? siteOffset.get(v) : undefined;
        if (at !== undefined && !unread.has(at) && v.operands.every((o) => o instanceof Constant || (siteOffset.has(o) && liveLoads.get(env.get(o)!) === siteOffset.get(o)))) {
          const ld = b.load(v.type, b.gep(i8, liveArg, [constInt(i64, at)], ["inbounds"]));
          liveLoads.set(ld, at);
          env.set(v, ld);
          continue;
        }
        const ops: Value[] = [];
        for (const o of v.operands) {
          const m = env.get(o) ?? (o instanceof Constant && !(o instanceof BlockAddress) ? (this.checkConstant(o), o) : undefined);
          if (m === undefined) break;
          ops.push(m);
        }
        if (ops.length !== v.operands.length) continue;
        env.set(v, b.insert(recompute(v, ops)));
      }
      const [bi, ii] = p.at;
      const block = inf.fn.blocks[bi];
      if (!block || !block.instructions[ii]) this.abort(`resume point ${p.id} of ${gf.fn} is not at an instruction`);
      const call = caller ? caller.inf.fn.blocks[caller.p.at[0]]!.instructions[caller.p.at[1]]! : null;
      if (caller && (caller.p.kind !== "after" || call?.opcode !== "call")) this.abort(`the parent guard's frame of ${caller.inf.fn.name} does not resume after a call`);
      this.frames.push({ info: inf, env, block, idx: p.kind === "after" ? ii + 1 : ii, call });
      caller = { inf, p };
    }
    if (arg !== this.traceFn.args.length) this.abort("the side trace's parameters do not match the parent guard");
    const siteCall = base.fn.blocks[site.at[0]]!.instructions[site.at[1]]!;
    this.replay(siteCall);
    this.handOver(live, lay.offsets, liveLoads, side.endsAtRoot, siteCall, derived);
    return {
      name: this.rec.name, side, startFn: this.rec.startFn, site: this.rec.startSite,
      liveTypes, liveOffsets: lay.offsets, liveSize: lay.size,
      module: this.module, fn: this.traceFn, guards: this.guards, recordedBlocks: this.rec.blocks.length,
    };
  }

  /** Replays the recording from the frames as they are until the base frame reaches `siteCall` with the recording used up. */
  private replay(siteCall: Instruction): void {
    for (;;) {
      const f = this.top;
      const inst = f.block.instructions[f.idx];
      if (!inst) this.abort("ran off the end of a block");
      if (inst.isTerminator) {
        this.terminator(f, inst);
        continue;
      }
      f.idx++;
      if (inst.opcode === "phi") this.abort("phi in the middle of a block");
      if (inst.opcode === "call" && inst.callee instanceof Function && inst.callee.name === CONTROL_POINT) {
        if (this.frames.length === 1 && this.pos === this.rec.blocks.length) {
          if (inst !== siteCall) this.abort("the recording ends at another control-point site");
          break;
        }
        continue;
      }
      if (inst.opcode === "call" || inst.opcode === "invoke" || inst.opcode === "callbr") { this.call(f, inst); continue; }
      if (inst.opcode === "alloca") {
        if (this.frames.length === 1) this.abort("an alloca in the base frame's loop");
        if (!inst.operands.every((o) => o.isConstant) || f.block !== f.info.fn.blocks[0]) this.abort("a dynamic alloca");
        const a = new Instruction("alloca", inst.type, inst.operands, null);
        a.elemType = inst.elemType;
        if (inst.align) a.align = inst.align;
        this.b.atEnd(this.entry).insert(a);
        f.env.set(inst, a);
        continue;
      }
      if (inst.opcode === "va_arg" || inst.opcode === "landingpad") this.abort(`${inst.opcode} is not supported in traces`);
      if (!SIMPLE_OPS.has(inst.opcode)) this.abort(`instruction ${inst.opcode} is not supported in traces`);
      const ops = inst.operands.map((o) => this.map(f, o));
      const v = inst.type.isVoid() ? undefined : fold(inst, ops);
      const n = v ?? this.emitCopy(f, inst, ops);
      if (!inst.type.isVoid()) f.env.set(inst, n);
    }
    if (this.pos !== this.rec.blocks.length) this.abort("the trace closed before the recording ended");
    if (this.ppos !== this.promotes.length)
      this.abort(`the recording carries ${this.promotes.length} promoted values, the trace used ${this.ppos}`);
  }
}

/** The constant of type t whose bits (as the runtime recorded them) are `bits`. */
function constantOfBits(t: Type, bits: bigint): Constant {
  if (t.isFloatingPoint()) {
    const ft = t as unknown as { fkind: string };
    if (ft.fkind === "double") return new ConstantFP(t, "0x" + BigInt.asUintN(64, bits).toString(16).toUpperCase().padStart(16, "0"));
    if (ft.fkind === "float") {
      const dv = new DataView(new ArrayBuffer(4));
      dv.setUint32(0, Number(BigInt.asUintN(32, bits)));
      return ConstantFP.of(floatType("float"), dv.getFloat32(0));
    }
  }
  if (t instanceof IntType || t.isPtr()) return constOf(t, bits);
  throw new TraceAbort(`a promoted value of type ${t} cannot be a constant`);
}

export function buildTrace(prog: ProgramView, rec: RecordingInput, opts: BuildOptions = {}): Trace {
  return new TraceBuilder(prog, rec, opts).build();
}

export type { Type };
