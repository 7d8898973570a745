// Trend charts: a tag's stories per week as SVG (web pages) or PNG (chat), plus the words that describe them.

import { svgToPng } from "./png.js";
import { trendSvg } from "./svg.js";
import { altText, chartTitle, type Trend } from "./trend.js";

export { chartFontFile } from "./png.js";
export { CHART_HEIGHT, CHART_WIDTH, trendSvg, xmlEscape } from "./svg.js";
export * from "./trend.js";
export { bucketByWeek, weekEnd, weekStarts } from "./weeks.js";

export interface TrendImage {
  fileName: string;
  png: Uint8Array;
  width: number;
  height: number;
  title: string;
  alt: string;
}

/** The trend as a PNG named for its subject, with its title and alt text. */
export function trendPng(trend: Trend, fontFile: string): TrendImage {
  const { png, width, height } = svgToPng(trendSvg(trend), fontFile);
  return { fileName: "trend.png", png, width, height, title: chartTitle(trend), alt: altText(trend) };
}
