// Test helpers: turn the corpus's small Markdown files into Articles, and a shared gazetteer.

import { createHash } from "node:crypto";
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
