// Test helpers: turn the corpus's small Markdown files into Articles, and a shared gazetteer.

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Gazetteer, loadGazetteer } from "../../src/analysis/index.js";
import type { Article, Block } from "../../src/core/article.js";

let shared: Gazetteer | undefined;

/** The package gazetteer, loaded once per test file. */
export function gazetteer(): Gazetteer {
  if (!shared) shared = loadGazetteer();
  return shared;
}

/** "# Title", then paragraphs separated by blank lines; "## " lines are headings. */
export function articleFromMarkdown(text: string, path = "/corpus/article.md"): Article {
  const parts = text
    .replace(/\r\n/g, "\n")
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  let title = "";
  const blocks: Block[] = [];
  for (const part of parts) {
    if (!title && part.startsWith("# ")) title = part.slice(2).trim();
    else if (part.startsWith("## ")) blocks.push({ kind: "heading", text: part.slice(3).trim() });
    else blocks.push({ kind: "paragraph", text: part.replace(/\s+/g, " ") });
  }
  const hash = createHash("sha256").update(`${title}\n${blocks.map((b) => b.text).join("\n\n")}`);
  return articleOf(path, title, blocks, hash.digest("hex"));
}

/** An article of these blocks (its body is their text), dated 2024-01-01, without url or source. */
export function articleOf(path: string, title: string, blocks: Block[], contentHash = "x"): Article {
  return {
    path,
    title,
    date: "2024-01-01",
    dateEstimated: false,
    url: null,
    source: null,
    blocks,
    body: blocks.map((b) => b.text).join("\n\n"),
    contentHash,
  };
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
