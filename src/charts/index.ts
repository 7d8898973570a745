// Trend charts: a tag's stories per week as SVG (web pages) or PNG (chat), plus the words that describe them.

import { createRequire } from "node:module";
import { join } from "node:path";
import type * as ResvgModule from "@resvg/resvg-js";
import type { ReplyImage } from "../core/cards.js";
import { CHART_FONT, trendSvg } from "./svg.js";
import { altText, chartTitle, type Trend } from "./trend.js";

export { CHART_HEIGHT, CHART_WIDTH, trendSvg, xmlEscape } from "./svg.js";
export * from "./trend.js";

/** A rendered trend: a reply's image without the series (core/cards.ts `ReplyImage`). */
export type TrendImage = Omit<ReplyImage, "weeks" | "counts">;

/** The trend as a PNG named for its subject, with its title and alt text. */
export function trendPng(trend: Trend, fontFile: string): TrendImage {
  const { png, width, height } = svgToPng(trendSvg(trend), fontFile);
  return { fileName: "trend.png", png, width, height, title: chartTitle(trend), alt: altText(trend) };
}

/** The font file charts are drawn with, under the package's data folder (OFL licence beside it). */
export const chartFontFile = (dataDir: string): string =>
  join(dataDir, "fonts", "inter", "Inter-Regular.ttf");

export interface Png {
  png: Uint8Array;
  width: number;
  height: number;
}

/** Renders `svg` at its own size; no system fonts are loaded, so text looks the same on every machine. */
export function svgToPng(svg: string, fontFile: string): Png {
  const resvg = new (resvgModule().Resvg)(svg, {
    font: { fontFiles: [fontFile], loadSystemFonts: false, defaultFontFamily: CHART_FONT },
    shapeRendering: 2,
    textRendering: 1,
  });
  const image = resvg.render();
  return { png: new Uint8Array(image.asPng()), width: image.width, height: image.height };
}

let loaded: typeof ResvgModule | undefined;

/** The native renderer, loaded at the first chart: commands that draw none (most) never pay for it. */
function resvgModule(): typeof ResvgModule {
  loaded ??= createRequire(import.meta.url)("@resvg/resvg-js") as typeof ResvgModule;
  return loaded;
}
