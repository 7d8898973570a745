// Test helpers: turn the corpus's small Markdown files into Articles, and a shared gazetteer.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { articleFromMarkdown } from "../../bench/labelled.js";
import { type Gazetteer, loadGazetteer } from "../../src/analysis/index.js";
import type { Article } from "../../src/core/article.js";

export { articleFromMarkdown, articleOf } from "../../bench/labelled.js";

let shared: Gazetteer | undefined;

/** The package gazetteer, loaded once per test file. */
export function gazetteer(): Gazetteer {
  if (!shared) shared = loadGazetteer();
  return shared;
}

const SEED = join(import.meta.dirname, "../../seeds/000_ab7ccafc986ab3a2.txt");

/** The seed article: a "date YYYY-MM-DD" prefix, blank-line blocks, short unpunctuated lines as headings. */
export function seedArticle(): Article {
  const text = readFileSync(SEED, "utf8").replace(/^\s*date\s+\d{4}-\d{2}-\d{2}\s*/i, "");
  const blocks = text
    .split(/\n\s*\n/)
    .map((b) => b.trim())
    .filter(Boolean)
    .map((b) => (b.length < 100 && !/[.!?"”]$/.test(b) ? `## ${b}` : b));
  return articleFromMarkdown(`# Seed article\n\n${blocks.join("\n\n")}`, SEED);
}
