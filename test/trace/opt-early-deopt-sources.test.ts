// The early-deopt-sources pass on hand-built traces: deopt values that are
// entry loads of the live struct or constants leave the bundles (their
// slots name the live-struct offset or the constant); computed values stay,
// in slot order; the sources chosen at codegen afterwards are the ones a
// single run at codegen chooses, derived addresses (source 3) included.
import { describe, expect, test } from "vitest";
import { ConstantExpr, constInt, i8, i64, ptr } from "../../src/ykir/index.js";
import { guardValues, isGuard, printTrace, type Trace } from "../../src/trace-ir/trace.js";
import { verifyTrace } from "../../src/trace-ir/verify.js";
import { assignDeoptSources } from "../../src/codegen/deopt-sources.js";
import { run as early } from "../../src/opt/early-deopt-sources.js";
import { traceHarness } from "./opt-harness.js";

/** Live struct { [16 x i8], ptr p (16), i64 n (24) }; one guard carrying p, n, n+1, 7, a promoted pointer, p+8, p+24 and (p+8)+8. */
function build(): Trace {
  const h = traceHarness([{ name: "p", type: ptr }, { name: "n", type: i64 }], { namedAddresses: true });
  const { b } = h;
  const p = h.live.p!, n = h.live.n!;
  const n1 = b.add(n, constInt(i64, 1), [], "n1");
  const promoted = new ConstantExpr(ptr, "inttoptr", [constInt(i64, 0x1234)]);
  const q = b.load(ptr, p, 8, "q");
  const a8 = b.gep(i8, q, [constInt(i64, 8)], ["inbounds"], "a8");
  const a24 = b.gep(i8, q, [constInt(i64, 24)], ["inbounds"], "a24");
  const p8 = b.gep(i8, p, [constInt(i64, 8)], ["inbounds"], "p8");
  h.guard(b.icmp("ne", n1, constInt(i64, 0), "c"), [p, n, n1, constInt(i64, 7), promoted, a8, a24, p8]);
  return h.finish();
}

const slots = (t: Trace) => t.guards[0]!.frames[0]!.slots.map((s) => `${s.source}:${s.payload.toString(16)}`);
const bundle = (t: Trace) => guardValues(t.fn.blocks[1]!.instructions.find(isGuard)!).map((v) => v.name ?? "?");

describe("early-deopt-sources", () => {
  test("live-struct loads and constants leave the bundle; computed values stay in slot order", () => {
    const t = build();
    expect(early(t)).toBe(4); // p, n, 7, the promoted pointer
    expect(verifyTrace(t)).toEqual([]);
    expect(bundle(t)).toEqual(["n1", "a8", "a24", "p8"]);
    expect(slots(t)).toEqual(["1:10", "1:18", "0:0", "2:7", "2:1234", "0:0", "0:0", "0:0"]);
    // A second run finds nothing more to do.
    expect(early(t)).toBe(0);
    expect(printTrace(t)).toContain('[ "deopt"(i64 %n1, ptr %a8, ptr %a24, ptr %p8) ]');
  });

  test("codegen's sources after it are those of a single run at codegen, derived addresses included", () => {
    const once = build();
    assignDeoptSources(once, { derived: true });
    const twice = build();
    early(twice);
    assignDeoptSources(twice, { derived: true });
    expect(slots(twice)).toEqual(slots(once));
    expect(bundle(twice)).toEqual(bundle(once));
    // p8 is derived from p's slot (offset 16), which left the bundle early;
    // a24 from a8's slot (offset 16 + 5 * 8 = 56), which stays in the bundle.
    expect(slots(twice)[7]).toBe(`3:${((16n << 32n) | 8n).toString(16)}`);
    expect(slots(twice)[6]).toBe(`3:${((56n << 32n) | 16n).toString(16)}`);
    expect(bundle(twice)).toEqual(["n1", "a8"]);
  });
});
