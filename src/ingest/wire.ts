// An article as the analysis worker sends it to the main thread: without its blocks, which are its body split at
// the blank lines between them. Copying thousands of small block objects across threads, and collecting them on
// the main thread (which stores meanwhile and never reads them), cost more than the rest of the article.

import type { Article, Block } from "../core/article.js";

/** The article without `blocks`; `headings` are the indexes of its heading blocks. */
export type WireArticle = Omit<Article, "blocks"> & { headings: number[] };

export function toWire(article: Article): WireArticle {
  const { blocks, ...rest } = article;
  const headings: number[] = [];
  for (let i = 0; i < blocks.length; i++) if (blocks[i]?.kind === "heading") headings.push(i);
  return { ...rest, headings };
}

/**
 * The article again. Its blocks are made from the body when first read: each block's text is collapsed (no line
 * breaks, never empty) and the body is the blocks joined with a blank line (core/article-text.ts), so splitting
 * the body at blank lines gives them back exactly.
 */
export function fromWire(wire: WireArticle): Article {
  const { headings, ...rest } = wire;
  let blocks: Block[] | undefined;
  return Object.defineProperty(rest as Article, "blocks", {
    enumerable: true,
    configurable: true,
    get(): Block[] {
      blocks ??= rest.body.split("\n\n").map((text, i) => ({
        kind: headings.includes(i) ? "heading" : "paragraph",
        text,
      }));
      return blocks;
    },
    set(value: Block[]) {
      blocks = value;
    },
  });
}
