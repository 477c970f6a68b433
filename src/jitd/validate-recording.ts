// Checks a recording (the (function, block) ids the traced clones reported)
// against the AOT control-flow graph it claims to follow, before anything is
// built from it. A recording is legal when, replayed from its control-point
// site, every entry is
//   - a successor of the current block in the same frame, or
//   - the entry block of a function that the current block still calls
//     (a direct call to it, or any indirect call) after the point reached, or
//   - reached after the current frame returned (its block ends in `ret`): the
//     caller resumes after its call instruction and the rule is tried again;
// calls and returns balance (the trace ends in the base frame), and the trace
// ends in the block of its control-point site with no recorded call left
// between the point reached and the site.
// It works on a small view of each function (CfgFunction), so tests can use
// synthetic graphs and jitd builds the view from ykir (cfg-view.ts).

export interface CfgCall {
  /** Instruction index within the block. */
  instr: number;
  /** Callee name for a direct call to a function that has ykir; null = indirect call. */
  callee: string | null;
}

export interface CfgBlock {
  succs: number[];
  /** The block's terminator is `ret`. */
  returns: boolean;
  /** Calls that produce records when made (to functions with ykir, or indirect), in order. */
  calls: CfgCall[];
}

export interface CfgFunction {
  name: string;
  blocks: CfgBlock[];
  /** Control-point sites in site order: the block and instruction index of each call. */
  cpSites: { block: number; instr: number }[];
}

export interface Recording {
  startFn: string;
  startSite: number;
  endSite: number;
  blocks: { fn: string; block: number }[];
}

export type ValidationResult = { ok: true } | { ok: false; error: string; index: number };

interface Frame {
  fn: CfgFunction;
  block: number;
  /** Next instruction index to be executed in `block` (calls before it were made). */
  pos: number;
}

/** The first recorded call in [pos, limit) of a block, or undefined. */
function nextCall(b: CfgBlock, pos: number, limit = Infinity): CfgCall | undefined {
  return b.calls.find((c) => c.instr >= pos && c.instr < limit);
}

export function validateRecording(rec: Recording, lookup: (name: string) => CfgFunction | undefined): ValidationResult {
  const fail = (index: number, error: string): ValidationResult => ({ ok: false, error, index });
  const base = lookup(rec.startFn);
  if (!base) return fail(-1, `no ykir for the start function ${rec.startFn}`);
  const site = base.cpSites[rec.startSite];
  if (!site) return fail(-1, `${rec.startFn} has no control-point site #${rec.startSite} (it has ${base.cpSites.length})`);
  if (rec.endSite !== rec.startSite)
    return fail(rec.blocks.length, `the trace closes at site #${rec.endSite}, not at its own site #${rec.startSite}`);
  if (rec.blocks.length === 0) return fail(0, "empty recording");

  const stack: Frame[] = [{ fn: base, block: site.block, pos: site.instr + 1 }];
  const where = (f: Frame) => `${f.fn.name}#${f.block}`;

  for (let i = 0; i < rec.blocks.length; i++) {
    const e = rec.blocks[i]!;
    const target = lookup(e.fn);
    if (!target) return fail(i, `no ykir for function ${e.fn}`);
    if (e.block < 0 || e.block >= target.blocks.length)
      return fail(i, `${e.fn} has no block ${e.block} (it has ${target.blocks.length})`);
    for (;;) {
      const top = stack[stack.length - 1]!;
      const cur = top.fn.blocks[top.block]!;
      const pending = nextCall(cur, top.pos);
      // A call still to be made in this block must come first: its callee's
      // clone records its entry block.
      if (pending) {
        if (e.block === 0 && (pending.callee === null || pending.callee === e.fn)) {
          top.pos = pending.instr + 1;
          stack.push({ fn: target, block: 0, pos: 0 });
          break;
        }
        if (pending.callee !== null)
          return fail(i, `after ${where(top)} the call to ${pending.callee} (instruction ${pending.instr}) should be recorded next, got ${e.fn}#${e.block}`);
        // An indirect call may go to a function without ykir: it records nothing.
        top.pos = pending.instr + 1;
        continue;
      }
      if (e.fn === top.fn.name && cur.succs.includes(e.block)) {
        top.block = e.block;
        top.pos = 0;
        break;
      }
      if (cur.returns) {
        if (stack.length === 1) return fail(i, `the base frame returns from ${where(top)}: the trace left its frame`);
        stack.pop();
        continue;
      }
      return fail(i, `${e.fn}#${e.block} cannot follow ${where(top)} (successors: ${cur.succs.join(", ") || "none"})`);
    }
  }
  // The end: back in the base frame, in the site's block, nothing recorded left before the site.
  const end = rec.blocks.length;
  while (stack.length > 1) {
    const top = stack[stack.length - 1]!;
    const cur = top.fn.blocks[top.block]!;
    if (!cur.returns || nextCall(cur, top.pos))
      return fail(end, `the trace ends inside ${where(top)}, ${stack.length - 1} call(s) deep: calls and returns do not balance`);
    stack.pop();
  }
  const top = stack[0]!;
  const endSite = base.cpSites[rec.endSite]!;
  if (top.block !== endSite.block)
    return fail(end, `the trace ends in ${where(top)}, but site #${rec.endSite} is in block ${endSite.block}`);
  const pending = nextCall(top.fn.blocks[top.block]!, top.pos, endSite.instr);
  if (pending && pending.callee !== null)
    return fail(end, `the trace ends before the call to ${pending.callee} that precedes site #${rec.endSite} was recorded`);
  return { ok: true };
}
