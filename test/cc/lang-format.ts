// The self-describing C test format of test/c (documented in
// test/c/README.md): parsing the leading comment and matching output
// against expectations with `...` wildcards.

export interface LangTest {
  compilerEnv: Record<string, string>;
  env: Record<string, string>;
  args: string[];
  status: number;
  stdout: string[] | null;
  stderr: string[] | null;
  /** Conditions on the runtime's statistics (`stats:`). */
  stats: { key: string; op: string; value: number }[];
}

export function parseHeader(src: string, file: string): LangTest {
  const t: LangTest = { compilerEnv: {}, env: {}, args: [], status: 0, stdout: null, stderr: null, stats: [] };
  const lines = src.split("\n");
  let section: "compiler" | "run" | null = null;
  let block: string[] | null = null;
  for (const raw of lines) {
    if (!raw.startsWith("//")) break;
    const text = raw.slice(2).replace(/^ /, "");
    if (/^\S/.test(text)) {
      block = null;
      if (text.startsWith("Compiler:")) section = "compiler";
      else if (text.startsWith("Run-time:")) section = "run";
      else section = null; // prose
      continue;
    }
    if (section === null) continue;
    if (block && text.startsWith("    ")) { block.push(text.slice(4)); continue; }
    if (block && text.trim() === "") { block.push(""); continue; }
    block = null;
    const m = /^  ([a-z-]+):\s?(.*)$/.exec(text);
    if (!m) {
      if (text.trim() === "") continue;
      throw new Error(`${file}: cannot read header line ${JSON.stringify(raw)}`);
    }
    const [, key, value] = m as unknown as [string, string, string];
    const target = section === "compiler" ? t.compilerEnv : t.env;
    switch (key) {
      case "env-var": {
        const eq = value.indexOf("=");
        if (eq < 1) throw new Error(`${file}: env-var needs NAME=VALUE: ${raw}`);
        target[value.slice(0, eq)] = value.slice(eq + 1);
        break;
      }
      case "args": t.args = value.split(/\s+/).filter(Boolean); break;
      case "status": t.status = Number(value); break;
      case "stdout": t.stdout = block = []; break;
      case "stderr": t.stderr = block = []; break;
      case "stats": {
        // `stats: traces_entered>=1 deopts>=1`: conditions on the
        // `ykts-stats: key=value` lines (the run needs YKTS_STATS=1).
        for (const c of value.split(/\s+/).filter(Boolean)) {
          const sm = /^([a-z_]+)(>=|<=|==|>|<)(\d+)$/.exec(c);
          if (!sm) throw new Error(`${file}: stats condition must be key>=N (or >, <, <=, ==): ${c}`);
          t.stats.push({ key: sm[1]!, op: sm[2]!, value: Number(sm[3]) });
        }
        break;
      }
      default: throw new Error(`${file}: unknown header key ${key}`);
    }
  }
  for (const b of [t.stdout, t.stderr]) while (b && b.length && b[b.length - 1] === "") b.pop();
  return t;
}

function lineMatches(pattern: string, line: string): boolean {
  if (!pattern.includes("...")) return pattern === line;
  const parts = pattern.split("...");
  const re = new RegExp("^" + parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*") + "$", "s");
  return re.test(line);
}

/** Does `actual` (text) match the expected lines? Returns null or a description of the mismatch. */
export function matchOutput(expected: string[], actual: string): string | null {
  const lines = actual.split("\n");
  while (lines.length && lines[lines.length - 1] === "") lines.pop();
  // memo[i][j]: expected[i..] matches lines[j..]
  const memo = new Map<number, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = i * (lines.length + 1) + j;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let r: boolean;
    if (i === expected.length) r = j === lines.length;
    else if (expected[i] === "...") r = go(i + 1, j) || (j < lines.length && go(i, j + 1));
    else r = j < lines.length && lineMatches(expected[i]!, lines[j]!) && go(i + 1, j + 1);
    memo.set(key, r);
    return r;
  };
  if (go(0, 0)) return null;
  return `expected:\n${expected.map((l) => "  " + l).join("\n")}\nactual:\n${lines.map((l) => "  " + l).join("\n")}`;
}

/** Checks `stats:` conditions against a run's stderr; returns the first failure or null. */
export function checkStats(conds: LangTest["stats"], stderr: string): string | null {
  const got = new Map<string, number>();
  for (const m of stderr.matchAll(/^ykts-stats: ([a-z_]+)=(\d+)$/gm)) got.set(m[1]!, Number(m[2]));
  for (const c of conds) {
    const v = got.get(c.key);
    if (v === undefined) return `no ykts-stats line for ${c.key} (is YKTS_STATS=1 set?)`;
    const ok = c.op === ">=" ? v >= c.value : c.op === "<=" ? v <= c.value : c.op === ">" ? v > c.value : c.op === "<" ? v < c.value : v === c.value;
    if (!ok) return `${c.key}=${v}, expected ${c.op}${c.value}`;
  }
  return null;
}
