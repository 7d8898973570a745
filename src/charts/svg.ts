// The trend bar chart as SVG: hand-written, deterministic (same trend, same bytes), text in the shipped font.

import { chartTitle, dayLabel, type Trend, totalOf } from "./trend.js";

export const CHART_WIDTH = 800;
export const CHART_HEIGHT = 400;
/** The family of the font file shipped in data/fonts (the PNG renderer loads only that file). */
export const CHART_FONT = "Inter";

const LEFT = 56;
const RIGHT = 24;
const TOP = 84;
const BOTTOM = 52;
const INK = "#1f2937";
const MUTED = "#4b5563";
const GRID = "#e5e7eb";
const BAR = "#1d4ed8";
const BAR_NOW = "#93b4f0";

/** Text and attribute values with XML's five special characters escaped. */
export function xmlEscape(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c] as string,
  );
}

/** A round axis step (1, 2 or 5 times a power of ten) giving at most five gridlines above zero. */
export function axisStep(max: number): number {
  if (max <= 5) return 1;
  const raw = max / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

const num = (n: number): string => String(Math.round(n * 10) / 10);

function text(x: number, y: number, content: string, attrs: string): string {
  return `<text x="${num(x)}" y="${num(y)}" ${attrs}>${xmlEscape(content)}</text>`;
}

/** Month labels under the first week of each month (with the year under January and the first label). */
function monthLabels(trend: Trend, xOf: (i: number) => number, baseline: number): string[] {
  const out: string[] = [];
  let previous = "";
  let freeFrom = Number.NEGATIVE_INFINITY;
  trend.weeks.forEach((week, i) => {
    const month = week.slice(0, 7);
    if (month === previous) return;
    previous = month;
    const label = dayLabel(`${month}-01`, false).replace(/^1 /, "");
    const withYear = i === 0 || week.slice(5, 7) === "01" ? `${label} ${week.slice(0, 4)}` : label;
    // A label too close to the one before it (a short first month) is left out rather than overlapping.
    if (xOf(i) < freeFrom) return;
    freeFrom = xOf(i) + withYear.length * 7 + 8;
    out.push(text(xOf(i), baseline + 20, withYear, `font-size="12" fill="${MUTED}"`));
  });
  return out;
}

/** The chart: title, a line on the period and total, gridlines, one bar per week (the current week lighter). */
export function trendSvg(trend: Trend, width = CHART_WIDTH, height = CHART_HEIGHT): string {
  const n = Math.max(1, trend.counts.length);
  const max = Math.max(0, ...trend.counts);
  const step = axisStep(max);
  const top = Math.max(step, Math.ceil(max / step) * step);
  const plotW = width - LEFT - RIGHT;
  const plotH = height - TOP - BOTTOM;
  const baseline = TOP + plotH;
  const slot = plotW / n;
  const barW = Math.max(2, slot * 0.72);
  const xOf = (i: number) => LEFT + i * slot + (slot - barW) / 2;
  const yOf = (v: number) => baseline - (v / top) * plotH;
  const total = totalOf(trend);
  const last = trend.weeks[trend.weeks.length - 1] ?? "";
  const peak = trend.counts.indexOf(max);
  const sub =
    `${n} weeks to the week of ${dayLabel(last)} · ${total} ${total === 1 ? "story" : "stories"}` +
    (max > 0 ? ` · busiest: ${max} in the week of ${dayLabel(trend.weeks[peak] ?? "")}` : "") +
    " · last bar: this week so far";
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${CHART_FONT}, system-ui, sans-serif" role="img">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    text(LEFT - 40, 34, chartTitle(trend), `font-size="22" fill="${INK}"`),
    text(LEFT - 40, 58, sub, `font-size="13" fill="${MUTED}"`),
  ];
  for (let v = 0; v <= top; v += step) {
    const y = yOf(v);
    parts.push(
      `<line x1="${LEFT}" y1="${num(y)}" x2="${width - RIGHT}" y2="${num(y)}" stroke="${v === 0 ? MUTED : GRID}" stroke-width="1"/>`,
      text(LEFT - 8, y + 4, String(v), `font-size="12" fill="${MUTED}" text-anchor="end"`),
    );
  }
  trend.counts.forEach((c, i) => {
    if (c <= 0) return;
    const y = yOf(c);
    const fill = i === n - 1 ? BAR_NOW : BAR;
    parts.push(
      `<rect x="${num(xOf(i))}" y="${num(y)}" width="${num(barW)}" height="${num(baseline - y)}" fill="${fill}"/>`,
    );
    if (n <= 26)
      parts.push(
        text(xOf(i) + barW / 2, y - 4, String(c), `font-size="11" fill="${INK}" text-anchor="middle"`),
      );
  });
  parts.push(...monthLabels(trend, xOf, baseline), "</svg>");
  return parts.join("\n");
}
