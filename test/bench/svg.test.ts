// The SVG writer of bench/ablation.svg: well-formed (every tag closed, in
// order), one bar, one label and one value per datum, the grid's cells,
// text escaped, and bar lengths proportional to the values.
import { describe, expect, test } from "vitest";
import { barChartSvg, escapeXml, ratioColor, tickStep, type BarChart } from "../../src/bench/svg.js";

/** Checks that tags balance; returns the element names in document order. */
function parseTags(svg: string): string[] {
  const body = svg.replace(/^<\?xml[^?]*\?>\s*/, "");
  const stack: string[] = [];
  const names: string[] = [];
  const re = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    const between = body.slice(last, m.index);
    if (between.includes("<") || between.includes(">")) throw new Error(`stray markup: ${JSON.stringify(between.slice(0, 80))}`);
    if (/&(?!(amp|lt|gt|quot|apos);)/.test(between)) throw new Error(`unescaped &: ${JSON.stringify(between.slice(0, 80))}`);
    last = re.lastIndex;
    const [, close, name, , self] = m;
    if (close) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
    } else {
      names.push(name!);
      if (!self) stack.push(name!);
    }
  }
  if (body.slice(last).trim() !== "") throw new Error(`text after the root: ${body.slice(last, last + 80)}`);
  if (stack.length) throw new Error(`unclosed: ${stack.join(", ")}`);
  return names;
}

const count = (svg: string, re: RegExp) => (svg.match(re) ?? []).length;

const chart: BarChart = {
  title: "Passes & tiers <test>",
  subtitle: "3 benchmarks",
  xLabel: "time relative to minilua",
  yLabel: "configuration",
  bars: [
    { label: "minilua", value: 1 },
    { label: "JIT all passes", value: 0.5, color: "#123456" },
    { label: "JIT -dce", value: 2, note: "(4.00× vs all passes)" },
  ],
  reference: { value: 1, label: "minilua = 1" },
  grid: {
    title: "per benchmark",
    rowLabels: ["fib", "sieve"],
    colLabels: ["JIT all passes", "JIT -dce"],
    values: [[0.5, 2], [null, 1.25]],
  },
};

describe("bench SVG chart", () => {
  test("well-formed, with an svg root, a title, the bars, labels, values and the grid", () => {
    const svg = barChartSvg(chart);
    const names = parseTags(svg);
    expect(names[0]).toBe("svg");
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(names[1]).toBe("title");
    expect(svg).toContain("<title>Passes &amp; tiers &lt;test&gt;</title>");
    expect(count(svg, /<rect class="bar"/g)).toBe(3);
    expect(count(svg, /class="bar-label"/g)).toBe(3);
    expect(count(svg, /class="value"/g)).toBe(3);
    expect(count(svg, /class="note"/g)).toBe(1);
    expect(count(svg, /class="axis-label"/g)).toBe(2);
    for (const v of ["1.00×", "0.50×", "2.00×"]) expect(svg).toMatch(new RegExp(`class="value">${v}</text>`));
    for (const l of ["minilua", "JIT all passes", "JIT -dce"]) expect(svg).toContain(`class="bar-label">${l}</text>`);
    expect(svg).toContain(">time relative to minilua</text>");
    expect(svg).toContain(">configuration</text>");
    expect(count(svg, /<line class="reference"/g)).toBe(1);
    expect(count(svg, /<rect class="cell"/g)).toBe(4);
    expect(count(svg, /class="cell-value">/g)).toBe(4);
    expect(svg).toContain('class="cell-value">–</text>');
    expect(count(svg, /class="row-label"/g)).toBe(2);
    expect(count(svg, /class="col-label"/g)).toBe(2);
    expect(svg).toContain('fill="#123456"');
  });

  test("bar lengths are proportional to the values", () => {
    const svg = barChartSvg(chart);
    const widths = [...svg.matchAll(/<rect class="bar" x="[\d.]+" y="[\d.]+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths).toHaveLength(3);
    expect(widths[1]! / widths[0]!).toBeCloseTo(0.5, 2);
    expect(widths[2]! / widths[0]!).toBeCloseTo(2, 2);
  });

  test("without a grid or reference there are none, and the bar count follows the data", () => {
    const svg = barChartSvg({ title: "t", xLabel: "x", yLabel: "y", bars: Array.from({ length: 7 }, (_, i) => ({ label: `b${i}`, value: i + 1 })) });
    parseTags(svg);
    expect(count(svg, /<rect class="bar"/g)).toBe(7);
    expect(count(svg, /class="value"/g)).toBe(7);
    expect(count(svg, /class="cell"/g)).toBe(0);
    expect(count(svg, /class="reference"/g)).toBe(0);
  });

  test("the checker itself rejects unbalanced and unescaped markup", () => {
    expect(() => parseTags("<svg><g></svg>")).toThrow();
    expect(() => parseTags("<svg><text>a & b</text></svg>")).toThrow();
    expect(() => parseTags("<svg><text>a</text>")).toThrow();
  });

  test("helpers: escaping, tick steps, colours", () => {
    expect(escapeXml(`a<b>&"c'`)).toBe("a&lt;b&gt;&amp;&quot;c&apos;");
    expect(tickStep(2.3)).toBe(0.5);
    expect(tickStep(0.7)).toBe(0.1);
    expect(2.3 / tickStep(2.3)).toBeLessThanOrEqual(8);
    expect(ratioColor(1)).toBe("rgb(255,255,255)");
    const [r1, g1] = ratioColor(0.5).match(/\d+/g)!.map(Number);
    expect(g1!).toBeGreaterThan(r1!); // faster: green
    const [r2, g2] = ratioColor(2).match(/\d+/g)!.map(Number);
    expect(r2!).toBeGreaterThan(g2!); // slower: red
  });
});
