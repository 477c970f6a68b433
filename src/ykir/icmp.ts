// `icmp` on integer bit patterns (unsigned BigInts of the operands' width):
// the one definition the constant folder and the reference evaluator share.

/** The result of `icmp <p>` on a and b of width w, or null for a predicate icmp does not have. */
export function icmpBits(p: string, a: bigint, b: bigint, w: number): boolean | null {
  switch (p) {
    case "eq": return a === b;
    case "ne": return a !== b;
    case "ugt": return a > b;
    case "uge": return a >= b;
    case "ult": return a < b;
    case "ule": return a <= b;
  }
  const sa = BigInt.asIntN(w, a), sb = BigInt.asIntN(w, b);
  switch (p) {
    case "sgt": return sa > sb;
    case "sge": return sa >= sb;
    case "slt": return sa < sb;
    case "sle": return sa <= sb;
    default: return null;
  }
}
