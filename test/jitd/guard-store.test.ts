// The packed guards jitd keeps for side traces give back exactly what was
// added, by guard position, and nothing for an unknown trace or guard.
import { describe, expect, test } from "vitest";
import { GuardStore } from "../../src/jitd/guard-store.js";
import type { GuardInfo } from "../../src/trace-ir/trace.js";

const guards: GuardInfo[] = [
  { id: 0, what: "br f#1 -> 2", frames: [{ fn: "f", resumePoint: 3, kind: "cp", bufSize: 48, slots: [
    { offset: 0, size: 8, source: 0, payload: 0n },
    { offset: 8, size: 4, source: 2, payload: 0xffff_ffff_ffff_fffen },
  ] }] },
  { id: 1, what: "switch g#4", frames: [
    { fn: "f", resumePoint: 7, kind: "after", bufSize: 32, slots: [{ offset: 16, size: 8, source: 3, payload: (24n << 32n) | 0xffff_fff8n }] },
    { fn: "g", resumePoint: 1, kind: "before", bufSize: 16, slots: [] },
  ] },
];

describe("GuardStore", () => {
  test("gives back each guard's frames and slots as they were added", () => {
    const s = new GuardStore();
    s.add("t1", guards);
    expect(s.frames("t1", 0)).toEqual(guards[0]!.frames);
    expect(s.frames("t1", 1)).toEqual(guards[1]!.frames);
  });

  test("copies: later changes to the added objects do not show", () => {
    const s = new GuardStore();
    const copy = structuredClone(guards);
    s.add("t2", copy);
    copy[0]!.frames[0]!.slots[0]!.source = 1;
    expect(s.frames("t2", 0)![0]!.slots[0]!.source).toBe(0);
  });

  test("an unknown trace or guard has no frames", () => {
    const s = new GuardStore();
    s.add("t3", guards);
    expect(s.frames("t3", 2)).toBeUndefined();
    expect(s.frames("nope", 0)).toBeUndefined();
  });
});
