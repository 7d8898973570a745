// Plain-text layout for the console measured in terminal columns: flags and CJK take 2, combining marks 0.

import { createRequire } from "node:module";
import type StringWidth from "string-width";

/** The widest line the console renders, however wide the terminal. */
export const MAX_WIDTH = 100;
const MIN_WIDTH = 40;

/** Columns a string takes on a terminal (not its UTF-16 length). */
export function displayWidth(text: string): number {
  const known = plainWidth(text);
  return known >= 0 ? known : stringWidth()(text);
}

let measure: typeof StringWidth | undefined;

/** string-width, loaded for the first text plainWidth cannot measure: it sets up a grapheme segmenter at import. */
function stringWidth(): typeof StringWidth {
  measure ??= (createRequire(import.meta.url)("string-width") as { default: typeof StringWidth }).default;
  return measure;
}

/**
 * The width of text made only of characters whose width needs no grapheme rules, else -1: printable ASCII, Latin
 * letters and signs (U+00A0-U+02FF but the soft hyphen), dashes, quotes and bullets (U+2010-U+2027, U+2030-U+205E)
 * take 1 column; a flag (two regional indicators) takes 2. tests/chat holds it to string-width's answers.
 */
export function plainWidth(text: string): number {
  let width = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x20 && c < 0x7f) || (c >= 0xa0 && c < 0x300 && c !== 0xad) || (c >= 0x2010 && c <= 0x2027)) {
      width++;
    } else if (c >= 0x2030 && c <= 0x205e) {
      width++;
    } else if (regionalIndicator(text, i) && regionalIndicator(text, i + 2)) {
      width += 2;
      i += 3;
    } else {
      return -1;
    }
  }
  return width;
}

/** U+1F1E6..U+1F1FF (a flag's letters) start at `i`: the surrogates D83C DDE6..DDFF. */
const regionalIndicator = (text: string, i: number): boolean => {
  const low = text.charCodeAt(i + 1);
  return text.charCodeAt(i) === 0xd83c && low >= 0xdde6 && low <= 0xddff;
};

/** Pads `text` with spaces to `columns` terminal columns. */
export function padColumns(text: string, columns: number): string {
  return text + " ".repeat(Math.max(0, columns - displayWidth(text)));
}

/** The width to render at for a terminal of `columns` (one short of it, so a full line never wraps early). */
export function widthFor(columns: number | undefined): number {
  if (!columns || columns <= 0) return MAX_WIDTH;
  return Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, columns - 1));
}

/**
 * Word-wrap one paragraph to `width` columns with `indent` on every line (or `first` on the first line).
 * Only plain spaces break lines: callers glue "🇳🇿 New Zealand" together with no-break spaces.
 */
export function wrap(text: string, indent = "", width = MAX_WIDTH, first = indent): string {
  const lines: string[] = [];
  let line = "";
  let used = 0;
  let lead = first;
  const push = () => {
    lines.push(lead + line);
    lead = indent;
    line = "";
    used = 0;
  };
  // A word wider than the line (a long URL) stays whole so it can still be copied.
  for (const word of text
    .replace(/[\t\n\r]+/g, " ")
    .split(/ +/)
    .filter(Boolean)) {
    const w = displayWidth(word);
    if (line && displayWidth(lead) + used + 1 + w > width) push();
    used += line ? 1 + w : w;
    line = line ? `${line} ${word}` : word;
  }
  if (line) push();
  return lines.join("\n");
}

/** Label/value rows with the values in one column; long values wrap under themselves. */
export function table(
  rows: Array<{ label: string; value: string }>,
  indent: string,
  width: number,
): string[] {
  if (rows.length === 0) return [];
  const pad = Math.min(28, Math.max(...rows.map((r) => displayWidth(r.label))));
  const hang = " ".repeat(displayWidth(indent) + pad + 2);
  // A value's own line breaks (a feed's URL, then its interval, then its health) stay line breaks.
  const lines = (value: string, first: string): string =>
    value
      .split(/\r?\n/)
      .map((part, i) => wrap(part, hang, width, i === 0 ? first : hang))
      .join("\n");
  return rows.map((r) => {
    // A label wider than the column gets a line of its own, its value below it.
    if (displayWidth(r.label) > pad) return `${indent}${r.label}\n${lines(r.value, hang)}`.trimEnd();
    const head = `${indent}${padColumns(r.label, pad)}  `;
    return lines(r.value, head) || head.trimEnd();
  });
}

// C0 controls but tab and line feed, DEL, C1 controls (CSI among them) and the bidi overrides and isolates.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text fit for a terminal: stored strings (titles, summaries, feed names) come from untrusted articles, and an
 * escape sequence in one could move the cursor, rewrite what was printed or retitle the window. Every control
 * character except tab and line feed is dropped, so ESC-led sequences lose their ESC and print as plain text.
 */
export const terminalSafe = (text: string): string => text.replace(UNSAFE, "");
