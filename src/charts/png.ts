// SVG to PNG with resvg and only the font file shipped in data/fonts: the same SVG gives the same bytes anywhere.

import { join } from "node:path";
import { Resvg } from "@resvg/resvg-js";
import { CHART_FONT } from "./svg.js";

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
  const resvg = new Resvg(svg, {
    font: { fontFiles: [fontFile], loadSystemFonts: false, defaultFontFamily: CHART_FONT },
    shapeRendering: 2,
    textRendering: 1,
  });
  const image = resvg.render();
  return { png: new Uint8Array(image.asPng()), width: image.width, height: image.height };
}
