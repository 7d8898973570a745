// The console's charts: a reply's PNG saved in the charts folder beside the database, its path and counts printed.

import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { ReplyImage } from "../../core/cards.js";
import { errorMessage } from "../../core/errors.js";

/** "apt40-26w.png" from the chart's title: letters and digits only, so a title never names another folder. */
export function chartFileName(image: ReplyImage): string {
  const subject = image.title.replace(/: stories per week$/, "");
  const slug =
    subject
      .normalize("NFKD")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60) || "trend";
  return `${slug}-${image.counts.length}w.png`;
}

/** Writes the PNG into `dir` (made when missing); the absolute path, or why it could not be saved. */
export function saveChart(dir: string, image: ReplyImage): { path: string } | { problem: string } {
  const path = resolve(join(dir, chartFileName(image)));
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, image.png);
    return { path };
  } catch (err) {
    return { problem: `could not save the chart in ${resolve(dir)}: ${errorMessage(err)}` };
  }
}

/** The lines the console prints under a chart reply: where the PNG is, and the counts week by week. */
export function chartLines(image: ReplyImage, saved: { path: string } | { problem: string }): string[] {
  const where = "path" in saved ? `Chart saved: ${saved.path}` : `Chart not saved: ${saved.problem}`;
  const first = image.weeks[0] ?? "";
  const last = image.weeks[image.weeks.length - 1] ?? "";
  return [where, `Weekly counts from the week of ${first} to the week of ${last}: ${image.counts.join(" ")}`];
}
