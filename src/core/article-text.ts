// The one rule for an article's text, shared by the file reader and feeds: collapsing, titles, body and hash.

import { createHash } from "node:crypto";
import type { Block } from "./article.js";
import { stripFormat } from "./text.js";

/** Titles longer than this are shortened at a word boundary. */
export const MAX_TITLE = 300;
/** A title made from the body's first sentence is at most this long. */
const MAX_BODY_TITLE = 120;

/** Collapse runs of whitespace (including NBSP and line breaks) inside one paragraph; format characters go. */
export const collapse = (s: string): string =>
  stripFormat(s)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping stray control characters is the point
    .replace(/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/g, "")
    .replace(/\s+/gu, " ")
    .trim();

/** Shorten to at most `max` characters at a word boundary, adding an ellipsis when cut. */
export function shorten(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  const base = space > max / 2 ? cut.slice(0, space) : cut;
  return `${base.replace(/[\s,;:.-]+$/u, "")}…`;
}

/** First sentence of the first paragraph, shortened at a word boundary. */
export function titleFromBody(blocks: readonly Block[]): string {
  const first = blocks.find((b) => b.kind === "paragraph") ?? blocks[0];
  const text = first?.text ?? "";
  const sentence = /^(.+?[.!?])(?:\s|$)/u.exec(text)?.[1] ?? text;
  return shorten(sentence, MAX_BODY_TITLE);
}

/**
 * The title, body and content hash of an article from its (already collapsed, NFC) title and blocks: the title
 * shortened to MAX_TITLE (or made from the first sentence when there is none), the blocks joined with a blank
 * line, and sha256 of title, a blank line and body. A file and a feed item with the same text hash the same.
 */
export function articleText(
  title: string | null,
  blocks: readonly Block[],
): { title: string; body: string; contentHash: string } {
  const finalTitle = title ? shorten(title, MAX_TITLE) : titleFromBody(blocks);
  const body = blocks.map((b) => b.text).join("\n\n");
  const contentHash = createHash("sha256").update(finalTitle).update("\n\n").update(body).digest("hex");
  return { title: finalTitle, body, contentHash };
}
