// Trend charts: weeks and buckets, the SVG (escaped, deterministic) and the PNG (decodes, its size, same bytes).

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  altText,
  bucketByWeek,
  CHART_HEIGHT,
  CHART_WIDTH,
  chartFontFile,
  sparkline,
  trendPng,
  trendSvg,
  weekStarts,
} from "../../src/charts/index.js";
import { packagePath } from "../../src/core/paths.js";
import { tempDir } from "../helpers/tmp.js";

const FONT = chartFontFile(packagePath("data"));
const weeks = weekStarts("2026-12-02", 26);
const trend = { subject: "APT40", weeks, counts: weeks.map((_, i) => (i * 7) % 13) };

/** The PNG's chunks, checked: signature, CRC-free walk to IEND, IHDR fields, and the pixels inflate to size. */
function decodePng(png: Uint8Array): { width: number; height: number; depth: number; colour: number } {
  const buf = Buffer.from(png);
  expect(buf.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  let at = 8;
  let header: { width: number; height: number; depth: number; colour: number } | undefined;
  const idat: Buffer[] = [];
  let ended = false;
  while (at < buf.length) {
    const length = buf.readUInt32BE(at);
    const type = buf.subarray(at + 4, at + 8).toString("latin1");
    const data = buf.subarray(at + 8, at + 8 + length);
    if (type === "IHDR")
      header = {
        width: data.readUInt32BE(0),
        height: data.readUInt32BE(4),
        depth: data[8] ?? 0,
        colour: data[9] ?? 0,
      };
    if (type === "IDAT") idat.push(data);
    if (type === "IEND") ended = true;
    at += 12 + length;
  }
  expect(ended).toBe(true);
  if (!header) throw new Error("no IHDR chunk");
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[header.colour] ?? 0;
  const raw = inflateSync(Buffer.concat(idat));
  const rowBytes = Math.ceil((header.width * channels * header.depth) / 8) + 1;
  expect(raw.length).toBe(rowBytes * header.height);
  return header;
}

describe("weeks", () => {
  it("are Monday-based, end with the current week, and bucket day counts", () => {
    expect(weeks).toHaveLength(26);
    expect(weeks[25]).toBe("2026-11-30"); // 2 Dec 2026 is a Wednesday
    expect(new Date(`${weeks[0]}T00:00:00Z`).getUTCDay()).toBe(1);
    const counts = bucketByWeek(
      [
        { date: "2026-11-30", count: 2 },
        { date: "2026-12-06", count: 1 }, // Sunday: same week
        { date: "2026-11-29", count: 5 }, // the week before
        { date: "2026-12-07", count: 9 }, // next week: outside
        { date: "2020-01-01", count: 9 }, // long before
      ],
      weeks,
    );
    expect(counts[25]).toBe(3);
    expect(counts[24]).toBe(5);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(8);
    expect(weekStarts("2026-12-02", 52)).toHaveLength(52);
  });
});

describe("trend chart", () => {
  it("escapes the subject in the SVG and names every week in the alt text", () => {
    const svg = trendSvg({ ...trend, subject: 'A<script>&"x"' });
    expect(svg).not.toContain("<script>");
    expect(svg).toContain("A&lt;script&gt;&amp;&quot;x&quot;: stories per week");
    const alt = altText(trend);
    expect(alt).toContain("APT40");
    for (const [i, w] of weeks.entries()) {
      const day = Number(w.slice(8));
      expect(alt).toMatch(new RegExp(`${day} [A-Z][a-z]{2}: ${trend.counts[i]}\\b`));
    }
  });

  it("renders a PNG that decodes at the chart's size, byte-identical on a second render", () => {
    const first = trendPng(trend, FONT);
    const second = trendPng({ ...trend, counts: [...trend.counts] }, FONT);
    const header = decodePng(first.png);
    expect(header).toMatchObject({ width: CHART_WIDTH, height: CHART_HEIGHT });
    expect(first.width).toBe(CHART_WIDTH);
    expect(Buffer.compare(Buffer.from(first.png), Buffer.from(second.png))).toBe(0);
    expect(first.png.length).toBeLessThan(100_000);
    expect(first.title).toBe("APT40: stories per week");
    writeFileSync(join(tempDir(), "trend.png"), first.png);
  });

  it("draws text with the shipped font: other data gives other bytes, an empty year still renders", () => {
    const other = trendPng({ ...trend, counts: trend.counts.map((c) => c + 1) }, FONT);
    expect(Buffer.compare(Buffer.from(other.png), Buffer.from(trendPng(trend, FONT).png))).not.toBe(0);
    const year = weekStarts("2026-12-02", 52);
    const empty = trendPng({ subject: "Nobody", weeks: year, counts: year.map(() => 0) }, FONT);
    expect(decodePng(empty.png).width).toBe(CHART_WIDTH);
  });

  it("sparkline scales to the busiest week", () => {
    expect(sparkline([0, 1, 2, 4])).toBe("▁▃▅█");
    expect(sparkline([0, 0])).toBe("▁▁");
  });
});
