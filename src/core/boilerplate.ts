// Boilerplate in article text (datelines, bylines, "Read more", cookie notices, credits) and clause boundaries.

/**
 * A leading dateline or source tag: "LONDON (Reuters) - ", "WASHINGTON, March 3 (AP) — ", "(MENAFN- AzerNews) ",
 * "BAKU, Azerbaijan, March 5 /Trend/ - ", "WELLINGTON — ". Capital letters up to a dash, or a source in brackets.
 */
const DATELINE = [
  /^\((?:MENAFN|AP|AFP|Reuters|Bloomberg|UPI|PTI|IANS|ANI|Xinhua|dpa|CNN)\b[^)]{0,40}\)\s*(?:[-–—:]\s*)?/iu,
  /^\p{Lu}[\p{Lu}\p{M} .'’-]{1,30}(?:,\s*[\p{L} .,]{2,30}?\d{0,2})?\s*(?:\([^)]{1,30}\)|\/[^/]{1,20}\/)?\s*[-–—]\s+/u,
  /^[^.()]{2,50}\((?:Reuters|AP|AFP|Bloomberg|UPI|MENAFN[^)]{0,30}|Xinhua|dpa|PTI|IANS|ANI)\)\s*[-–—:]?\s*/u,
];

/** How many characters of leading dateline `text` has (0 when none). */
export function datelineLength(text: string): number {
  const c = text.charCodeAt(0);
  // Only a capital letter or an opening bracket can start one: one comparison for most sentences.
  if (c !== 40 && !(c >= 65 && c <= 90) && c < 128) return 0;
  // ... and every one has a bracket or a dash in its first 70 characters.
  let mark = false;
  for (let i = Math.min(70, text.length) - 1; i > 0 && !mark; i--) {
    const d = text.charCodeAt(i);
    mark = d === 40 || d === 45 || d === 8211 || d === 8212 || d === 47;
  }
  if (!mark) return 0;
  for (const re of DATELINE) {
    const m = re.exec(text);
    if (m && m[0].length < text.length) return m[0].length;
  }
  return 0;
}

/** Phrases that mark a sentence as page furniture rather than news (matched as whole words, any case). */
export const FURNITURE_PHRASES =
  `all rights reserved|read more|read the full|click here|sign up|subscribe to|subscribe now
|subscribe for|newsletter|we use cookies|use of cookies|cookie policy|cookie settings|cookie preferences|cookie notice
|accept cookies|accept all cookies|privacy policy|terms of use|terms of service|follow us|share this article
|share this story|advertisement|reporting by|editing by|writing by|additional reporting|first appeared on
|first appeared in|first published on|first published in|originally appeared on|originally appeared in
|originally published on|originally published in|photo credit|getty images|image credit`
    .split("|")
    .map((p) => p.trim());

const FURNITURE = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:${FURNITURE_PHRASES.map((p) => p.replace(/ /g, "\\s+")).join("|")})(?![\\p{L}\\p{N}])`,
  "iu",
);
/** A credit or link label opening the text: "Photo: ...", "Related: ...". */
const LABEL = /^(?:photo|image|picture|credit|related|see also)\s*:/iu;
/** "By Jane Doe", "By Jane Doe and John Roe, Reuters": a byline standing as a sentence. */
const BYLINE = /^By \p{Lu}[\p{L}'’.-]*(?:\s+(?:\p{Lu}[\p{L}'’.-]*|and|&))+\s*(?:[,|–—-].{0,40})?$/u;

/** The boilerplate signs other than FURNITURE_PHRASES: ©, a credit label, a byline. Cheap: anchored or one scan. */
export function boilerplateMarks(text: string): boolean {
  return text.includes("©") || LABEL.test(text) || (text.length < 100 && BYLINE.test(text));
}

/** True when `text` (one sentence or paragraph) is boilerplate: never a summary or a title. */
export function isBoilerplate(text: string): boolean {
  return boilerplateMarks(text) || FURNITURE.test(text);
}

// Words before which a clause (or a phrase that can end a shortened sentence) begins.
const CLAUSE_WORDS = new Set(
  `and but or for in on at by with after as while when which who whose that because following amid since
  during before until although though whereas including according from to against targeting using`.split(
    /\s+/,
  ),
);

/** The clause words that open a new clause (not just a phrase): a better place to end a title. */
const STRONG_WORDS = new Set(
  "that which who whose after while when because although though whereas but".split(" "),
);

const isSpaceCode = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 0xa0;

/**
 * The end of the longest prefix of `text` no longer than `max` that ends at a clause boundary (before ", ",
 * "; ", ": ", " – ", " (" or a clause word), and is at least `min` long; the shortest such prefix when
 * `shortest`; only before punctuation or a word opening a clause ("that", "which", "after") when `strong`; -1 when
 * there is none.
 */
export function clauseCut(text: string, max: number, min = 1, shortest = false, strong = false): number {
  const words = strong ? STRONG_WORDS : CLAUSE_WORDS;
  let best = -1;
  const limit = Math.min(max, text.length - 1);
  for (let i = Math.max(1, min); i <= limit && !(shortest && best >= 0); i++) {
    const c = text.charCodeAt(i);
    if (c === 44 || c === 59 || c === 58) {
      if (isSpaceCode(text.charCodeAt(i + 1))) best = i;
    } else if (isSpaceCode(c)) {
      const n = text.charCodeAt(i + 1);
      if ((n === 8211 || n === 8212 || n === 45) && isSpaceCode(text.charCodeAt(i + 2))) best = i;
      else if (n === 40) best = i;
      else if (n >= 97 && n <= 122) {
        let e = i + 1;
        while (e < text.length && e - i <= 11) {
          const d = text.charCodeAt(e);
          if (d < 97 || d > 122) break;
          e++;
        }
        if (words.has(text.slice(i + 1, e)) && (e >= text.length || !isLetterCode(text.charCodeAt(e))))
          best = i;
      }
    }
  }
  return best;
}

const isLetterCode = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 0xc0 && c !== 0xd7 && c !== 0xf7);

/** `text` cut to at most `max` characters at a word boundary, with "…" when cut (never inside a word). */
export function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  while (cut > 0 && !isSpaceCode(text.charCodeAt(cut))) cut--;
  if (cut <= 0) {
    // One word longer than `max` (a URL): cut after its last punctuation mark within the limit.
    cut = max - 1;
    while (cut > 0 && isLetterCode(text.charCodeAt(cut - 1))) cut--;
    if (cut <= 0) cut = max - 1;
  }
  return `${trimEnd(text.slice(0, cut))}…`;
}

/** Trailing spaces and clause punctuation removed: what is left before an ellipsis. */
export function trimEnd(text: string): string {
  return text.replace(/[\s,;:–—-]+$/u, "");
}
