// One rule for invisible characters, shared by ingest, analysis and the command parser.

/**
 * Unicode format characters (category Cf): zero-width space, joiner and non-joiner, soft hyphen, word joiner,
 * byte-order mark, bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), and tag
 * characters. They are invisible, so a reader never meant them: `ap\u200Bt40` is APT40, and a right-to-left
 * override must not reverse a title.
 *
 * Emoji keep their look apart from two details: a ZWJ sequence shows as its separate emoji (👨‍👩‍👧 → 👨👩👧),
 * and a subdivision flag (tag characters) as a plain black flag. Regional-indicator flags (🇳🇿), skin tones
 * and variation selectors are not format characters and stay as they are.
 */
const FORMAT = /\p{Cf}/gu;
const HAS_FORMAT = /\p{Cf}/u;

/** Remove every format character. */
export function stripFormat(text: string): string {
  return HAS_FORMAT.test(text) ? text.replace(FORMAT, "") : text;
}

/** True when `text` holds a format character (a cheap check before copying anything). */
export const hasFormat = (text: string): boolean => HAS_FORMAT.test(text);

/** Format characters removed, then NFC: the normal form of article text, titles, summaries and commands. */
export function normaliseText(text: string): string {
  return stripFormat(text).normalize("NFC");
}
