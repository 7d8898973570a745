// Slack's message limits, escaping, and the helpers that keep rendered Block Kit inside them: truncate, never fail.

import type { types } from "@slack/bolt";

export type SlackBlock =
  | types.HeaderBlock
  | types.SectionBlock
  | types.ContextBlock
  | types.ActionsBlock
  | types.DividerBlock
  | types.ImageBlock;

/** Documented limits, plus the aggregate size where Slack starts answering `invalid_blocks` (seen near 13k). */
export const LIMITS = {
  headerText: 150,
  sectionText: 3000,
  fieldText: 2000,
  fieldsPerSection: 10,
  contextElements: 10,
  blocks: 50,
  /** Measured as the JSON length of the blocks array, which over-counts a little: a safe margin. */
  blocksChars: 12_000,
  /** The notification / screen-reader text; Slack accepts more, but nobody reads more. */
  fallbackText: 3000,
  buttonValue: 2000,
} as const;

export const ELLIPSIS = "…";

/**
 * Escapes the three characters Slack parses as control sequences, so article or user text can never become
 * `<!channel>`, a fake link or a mention. `@channel` typed as words is defused too, in case a client
 * auto-links it (a word joiner is invisible).
 */
export function escapeText(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/@(channel|here|everyone)\b/gi, "@\u2060$1");
}

/** Undoes Slack's escaping of a slash command's text, so the command layer sees what the user typed. */
export function unescapeText(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/**
 * Cuts already-escaped text to at most `max` characters, ending with an ellipsis and an optional pointer line.
 * It backs off rather than split a surrogate pair, an `&amp;` entity or one of our own `<url|label>` links,
 * and prefers a word boundary when one is near.
 */
export function truncate(text: string, max: number, pointer?: string): string {
  if (text.length <= max) return text;
  const tail = pointer ? `${ELLIPSIS}\n${pointer}` : ELLIPSIS;
  if (tail.length >= max) return ELLIPSIS.slice(0, Math.max(0, max));
  let cut = max - tail.length;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  const amp = text.lastIndexOf("&", cut - 1);
  if (amp >= 0 && amp > cut - 5 && !text.slice(amp, cut).includes(";")) cut = amp;
  const lt = text.lastIndexOf("<", cut - 1);
  if (lt >= 0 && text.indexOf(">", lt) >= cut) cut = lt;
  const space = text.lastIndexOf(" ", cut);
  if (space > 0 && space > cut - 40) cut = space;
  return `${text.slice(0, cut).trimEnd()}${tail}`;
}

/** Splits escaped text into chunks of at most `max` characters at word boundaries (for long paragraphs). */
export function splitText(text: string, max: number): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf(" ", max);
    if (cut < max / 2) cut = max;
    const amp = rest.lastIndexOf("&", cut - 1);
    if (amp >= 0 && amp > cut - 5 && !rest.slice(amp, cut).includes(";")) cut = amp;
    const code = rest.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    chunks.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) chunks.push(rest);
  return chunks;
}

/** The size Slack's aggregate limit is checked against (see LIMITS.blocksChars). */
export function blocksSize(blocks: readonly SlackBlock[]): number {
  return JSON.stringify(blocks).length;
}

/** A run of blocks that is kept whole or left out; `shrink` offers a smaller version within a JSON budget. */
export interface Piece {
  blocks: SlackBlock[];
  /** Counted in the overflow note ("3 more stories") when left out. */
  story?: boolean;
  shrink?: (maxChars: number) => SlackBlock[] | null;
}

/**
 * Lays out head, pieces and tail within the block-count and size limits. Pieces are taken in order; the first
 * one that does not fit is shrunk if it can be, and it and everything after it are otherwise left out, so the
 * reader never sees a gap. `note(omittedStories)` becomes a context block when anything was left out.
 */
export function fitBlocks(
  head: SlackBlock[],
  pieces: Piece[],
  tail: SlackBlock[],
  note: (omittedStories: number) => SlackBlock,
): SlackBlock[] {
  const cost = (blocks: readonly SlackBlock[]) =>
    blocks.reduce((sum, b) => sum + JSON.stringify(b).length + 1, 0);
  const noteCost = cost([note(pieces.length)]);
  let chars = 1 + cost(head) + cost(tail) + noteCost;
  let count = head.length + tail.length + 1;
  const body: SlackBlock[] = [];
  let stopped = false;
  let omittedStories = 0;
  let omittedAny = false;
  for (const piece of pieces) {
    let blocks: SlackBlock[] | null = stopped ? null : piece.blocks;
    if (blocks && (count + blocks.length > LIMITS.blocks || chars + cost(blocks) > LIMITS.blocksChars)) {
      const room = LIMITS.blocksChars - chars - 1;
      blocks = piece.shrink && room > 200 ? piece.shrink(room) : null;
      if (blocks && (count + blocks.length > LIMITS.blocks || chars + cost(blocks) > LIMITS.blocksChars)) {
        blocks = null;
      }
      stopped = true;
    }
    if (!blocks) {
      stopped = true;
      omittedAny = true;
      if (piece.story) omittedStories += 1;
      continue;
    }
    body.push(...blocks);
    chars += cost(blocks);
    count += blocks.length;
  }
  return [...head, ...body, ...(omittedAny ? [note(omittedStories)] : []), ...tail];
}
