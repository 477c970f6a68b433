// The recording validator on synthetic control-flow graphs: each case is a
// small program of CfgFunctions and a recording that is or is not a legal
// path through it.
import { describe, expect, test } from "vitest";
import { validateRecording, type CfgFunction, type Recording } from "../../src/jitd/validate-recording.js";

// interp: 0 entry → 1 head(cp at instr 2) → 2 dispatch (calls op_add at 1, indirect at 3) → 1 | 3 exit(ret)
//         1 → 2 | 3
const interp: CfgFunction = {
  name: "interp",
  blocks: [
    { succs: [1], returns: false, calls: [] },
    { succs: [2, 3], returns: false, calls: [] },
    { succs: [1, 4], returns: false, calls: [{ instr: 1, callee: "op_add" }, { instr: 3, callee: null }] },
    { succs: [], returns: true, calls: [] },
    { succs: [1], returns: false, calls: [] },
  ],
  cpSites: [{ block: 1, instr: 2 }],
};
// op_add: 0 → 1 | 2, both return
const opAdd: CfgFunction = {
  name: "op_add",
  blocks: [
    { succs: [1, 2], returns: false, calls: [] },
    { succs: [], returns: true, calls: [] },
    { succs: [], returns: true, calls: [{ instr: 0, callee: "helper" }] },
  ],
  cpSites: [],
};
const helper: CfgFunction = { name: "helper", blocks: [{ succs: [], returns: true, calls: [] }], cpSites: [] };
const fns = new Map([interp, opAdd, helper].map((f) => [f.name, f]));
const lookup = (n: string) => fns.get(n);

const rec = (blocks: [string, number][], over: Partial<Recording> = {}): Recording => ({
  startFn: "interp", startSite: 0, endSite: 0, blocks: blocks.map(([fn, block]) => ({ fn, block })), ...over,
});

describe("legal recordings", () => {
  test("a loop through a direct call and back to the site", () => {
    expect(validateRecording(rec([["interp", 2], ["op_add", 0], ["op_add", 1], ["interp", 1]]), lookup)).toEqual({ ok: true });
  });
  test("nested call, returns unwinding two frames, then an indirect call to a function with ykir", () => {
    const r = rec([["interp", 2], ["op_add", 0], ["op_add", 2], ["helper", 0], ["op_add", 0], ["op_add", 1], ["interp", 4], ["interp", 1]]);
    expect(validateRecording(r, lookup)).toEqual({ ok: true });
  });
  test("an indirect call may go to a function without ykir (no records)", () => {
    // interp#2 calls op_add (recorded), then the indirect call records nothing, then 4.
    expect(validateRecording(rec([["interp", 2], ["op_add", 0], ["op_add", 1], ["interp", 4], ["interp", 1]]), lookup)).toEqual({ ok: true });
  });
});

describe("illegal recordings", () => {
  const err = (r: Recording) => {
    const v = validateRecording(r, lookup);
    if (v.ok) throw new Error("expected a failure");
    return v;
  };
  test("a block that is not a successor", () => {
    const v = err(rec([["interp", 3]]));
    expect(v.ok).toBe(false);
    const w = err(rec([["interp", 2], ["op_add", 0], ["op_add", 1], ["interp", 3]]));
    expect(w.index).toBe(3);
    expect(w.error).toMatch(/interp#3 cannot follow interp#2 \(successors: 1, 4\)/);
  });
  test("an entry block after a pending indirect call is a (recursive) call, which must return", () => {
    const v = err(rec([["interp", 2], ["op_add", 0], ["op_add", 1], ["interp", 0], ["interp", 1]]));
    expect(v.index).toBe(5);
    expect(v.error).toMatch(/ends inside interp#1, 1 call\(s\) deep/);
  });
  test("a direct call that should have been recorded is missing", () => {
    const v = err(rec([["interp", 2], ["interp", 1]]));
    expect(v.index).toBe(1);
    expect(v.error).toMatch(/the call to op_add .* should be recorded next/);
  });
  test("entering a function the block does not call", () => {
    expect(err(rec([["interp", 2], ["helper", 0]])).error).toMatch(/call to op_add/);
  });
  test("unbalanced: the trace ends inside a callee", () => {
    const v = err(rec([["interp", 2], ["op_add", 0]]));
    expect(v.error).toMatch(/ends inside op_add#0, 1 call\(s\) deep/);
  });
  test("the base frame returns", () => {
    const v = err(rec([["interp", 3], ["interp", 1]]));
    expect(v.index).toBe(1);
    expect(v.error).toMatch(/the base frame returns from interp#3: the trace left its frame/);
  });
  test("the trace closes somewhere else than its site's block", () => {
    expect(err(rec([["interp", 2], ["op_add", 0], ["op_add", 1], ["interp", 4]])).error).toMatch(/ends in interp#4, but site #0 is in block 1/);
  });
  test("closing at another site", () => {
    expect(err(rec([["interp", 2]], { endSite: 1 })).error).toMatch(/closes at site #1/);
  });
  test("unknown functions, blocks and sites", () => {
    expect(err(rec([["nosuch", 0]])).error).toMatch(/no ykir for function nosuch/);
    expect(err(rec([["interp", 9]])).error).toMatch(/interp has no block 9/);
    expect(err(rec([["interp", 2]], { startSite: 3, endSite: 3 })).error).toMatch(/no control-point site #3/);
    expect(err(rec([["interp", 2]], { startFn: "gone" })).error).toMatch(/no ykir for the start function gone/);
  });
  test("an empty recording", () => {
    expect(err(rec([])).error).toBe("empty recording");
  });
});
