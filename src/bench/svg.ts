// A standalone SVG chart, written by hand (no chart library): horizontal
// bars with a title, axis labels, ticks, an optional dashed reference line
// and each bar's value printed beside it; optionally under it a grid of
// numbers coloured by how far each is from 1 (green below, red above), for
// per-row detail that would be too many bars. Used for bench/ablation.svg.

export interface Bar {
  label: string;
  value: number;
  /** Fill colour; a default blue when absent. */
  color?: string;
  /** Printed in grey after the value. */
  note?: string;
}

export interface Grid {
  title: string;
  rowLabels: string[];
  colLabels: string[];
  /** values[row][col]; null is drawn as an empty cell with "–". */
  values: Array<Array<number | null>>;
}

export interface BarChart {
  title: string;
  subtitle?: string;
  /** Label of the value axis (horizontal). */
  xLabel: string;
  /** Label of the category axis (vertical, beside the bar labels). */
  yLabel: string;
  bars: Bar[];
  /** A dashed vertical line at this value, labelled. */
  reference?: { value: number; label: string };
  grid?: Grid;
  /** How values are printed; two decimals and "×" by default. */
  format?: (v: number) => string;
}

const FONT = "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\"";

export function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

/** A tick step that gives at most eight ticks from 0 to max. */
export function tickStep(max: number): number {
  for (const s of [0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20, 50, 100]) if (max / s <= 8) return s;
  return Math.pow(10, Math.ceil(Math.log10(max / 8)));
}

const n = (x: number) => Number(x.toFixed(1)).toString();

function text(x: number, y: number, s: string, attrs = ""): string {
  return `<text x="${n(x)}" y="${n(y)}" ${FONT}${attrs ? " " + attrs : ""}>${escapeXml(s)}</text>`;
}

/** White through green (r < 1) or red (r > 1), saturated at 2.5× either way. */
export function ratioColor(r: number): string {
  const t = Math.max(-1, Math.min(1, Math.log(r) / Math.log(2.5)));
  const to = t < 0 ? [26, 152, 80] : [215, 48, 39];
  const a = Math.abs(t) * 0.85;
  return `rgb(${to.map((c) => Math.round(255 + (c - 255) * a)).join(",")})`;
}

export function barChartSvg(c: BarChart): string {
  const fmt = c.format ?? ((v: number) => `${v.toFixed(2)}×`);
  const width = 900;
  const labelW = 190; // bar labels, right-aligned before the plot
  const plotX = 30 + labelW;
  const plotW = width - plotX - 190; // room for the value and note right of the longest bar
  const barH = 20;
  const gap = 8;
  const out: string[] = [];
  let y = 30;
  const head: string[] = [];
  head.push(text(width / 2, y, c.title, 'font-size="17" font-weight="bold" text-anchor="middle"'));
  if (c.subtitle) {
    y += 20;
    head.push(text(width / 2, y, c.subtitle, 'font-size="12" fill="#555" text-anchor="middle"'));
  }
  y += 25;

  // The bars.
  const plotTop = y;
  const plotH = c.bars.length * (barH + gap) + gap;
  const max = Math.max(...c.bars.map((b) => b.value), c.reference?.value ?? 0, 1e-9);
  const step = tickStep(max * 1.05);
  const axisMax = Math.ceil((max * 1.05) / step) * step;
  const xs = (v: number) => plotX + (v / axisMax) * plotW;
  out.push(`<g class="axis">`);
  for (let i = 0; i * step <= axisMax + 1e-9; i++) {
    const v = i * step;
    out.push(`<line x1="${n(xs(v))}" y1="${n(plotTop)}" x2="${n(xs(v))}" y2="${n(plotTop + plotH)}" stroke="#e3e3e3" stroke-width="1"/>`);
    out.push(text(xs(v), plotTop + plotH + 15, Number(v.toFixed(2)).toString(), 'font-size="11" fill="#333" text-anchor="middle" class="tick"'));
  }
  out.push(`<line x1="${n(plotX)}" y1="${n(plotTop + plotH)}" x2="${n(plotX + plotW)}" y2="${n(plotTop + plotH)}" stroke="#333" stroke-width="1"/>`);
  out.push(`<line x1="${n(plotX)}" y1="${n(plotTop)}" x2="${n(plotX)}" y2="${n(plotTop + plotH)}" stroke="#333" stroke-width="1"/>`);
  out.push(`</g>`);
  c.bars.forEach((b, i) => {
    const by = plotTop + gap + i * (barH + gap);
    out.push(text(plotX - 8, by + barH / 2 + 4, b.label, 'font-size="12" text-anchor="end" class="bar-label"'));
    out.push(`<rect class="bar" x="${n(plotX)}" y="${n(by)}" width="${n(Math.max(0, xs(b.value) - plotX))}" height="${barH}" fill="${b.color ?? "#4878b8"}"><title>${escapeXml(`${b.label}: ${fmt(b.value)}`)}</title></rect>`);
    out.push(text(xs(b.value) + 5, by + barH / 2 + 4, fmt(b.value), 'font-size="12" font-weight="bold" class="value"'));
    if (b.note) out.push(text(xs(b.value) + 50, by + barH / 2 + 4, b.note, 'font-size="11" fill="#666" class="note"'));
  });
  if (c.reference) {
    const rx = xs(c.reference.value);
    out.push(`<line class="reference" x1="${n(rx)}" y1="${n(plotTop - 4)}" x2="${n(rx)}" y2="${n(plotTop + plotH)}" stroke="#c0392b" stroke-width="1.5" stroke-dasharray="5,4"/>`);
    out.push(text(rx + 4, plotTop - 6, c.reference.label, 'font-size="11" fill="#c0392b"'));
  }
  y = plotTop + plotH + 35;
  out.push(text(plotX + plotW / 2, y, c.xLabel, 'font-size="13" text-anchor="middle" class="axis-label"'));
  const midY = plotTop + plotH / 2;
  out.push(text(16, midY, c.yLabel, `font-size="13" text-anchor="middle" transform="rotate(-90 16 ${n(midY)})" class="axis-label"`));
  y += 25;

  // The grid.
  let height = y;
  if (c.grid && c.grid.rowLabels.length && c.grid.colLabels.length) {
    const g = c.grid;
    const rowLabelW = 110;
    const cellW = Math.min(80, Math.floor((width - 30 - rowLabelW) / g.colLabels.length));
    const cellH = 20;
    const gx = 20 + rowLabelW;
    out.push(text(width / 2, y, g.title, 'font-size="14" font-weight="bold" text-anchor="middle"'));
    y += 15;
    const headH = 95; // rotated column labels
    g.colLabels.forEach((l, j) => {
      const cx = gx + j * cellW + cellW / 2;
      out.push(text(cx, y + headH - 4, l, `font-size="11" transform="rotate(-40 ${n(cx)} ${n(y + headH - 4)})" class="col-label"`));
    });
    y += headH;
    g.rowLabels.forEach((l, i) => {
      const ry = y + i * cellH;
      out.push(text(gx - 6, ry + cellH / 2 + 4, l, 'font-size="11" text-anchor="end" class="row-label"'));
      g.colLabels.forEach((_, j) => {
        const v = g.values[i]?.[j] ?? null;
        const cx = gx + j * cellW;
        out.push(`<rect class="cell" x="${n(cx)}" y="${n(ry)}" width="${cellW}" height="${cellH}" fill="${v === null ? "#f4f4f4" : ratioColor(v)}" stroke="#fff" stroke-width="1"/>`);
        out.push(text(cx + cellW / 2, ry + cellH / 2 + 4, v === null ? "–" : fmt(v), 'font-size="10.5" text-anchor="middle" class="cell-value"'));
      });
    });
    height = y + g.rowLabels.length * cellH + 20;
  }

  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${n(height)}" viewBox="0 0 ${width} ${n(height)}">`,
    `<title>${escapeXml(c.title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${n(height)}" fill="#ffffff"/>`,
    ...head,
    ...out,
    `</svg>`,
    "",
  ].join("\n");
}
