// The words of PostgreSQL search as SQLite's FTS5 index sees them (tokenize='porter unicode61 remove_diacritics
// 2'): text split at anything but letters, numbers, marks and private-use characters, folded to lower case,
// accents on Latin letters removed, then each token of 3 to 64 bytes stemmed by the Porter stemmer (PostgreSQL's
// snowball `porter`, the algorithm FTS5 uses); shorter and longer tokens are kept as they are, as FTS5 keeps them.
// The tsvector and tsquery are built here from those lexemes, so PostgreSQL's own parser never splits a word.

import type { Tx } from "./open.js";

/** FTS5's porter tokenizer stems tokens of this many bytes only. */
const STEM_MIN = 3;
const STEM_MAX = 64;
/** PostgreSQL's limits: a lexeme's bytes, and the highest position kept (later words share it). */
const MAX_LEXEME_BYTES = 2046;
const MAX_POSITION = 16383;

const bytes = (s: string): number => Buffer.byteLength(s, "utf8");

/** The tokens of a text, in order, as unicode61 with remove_diacritics 2 gives them. */
export function tokensOf(text: string): string[] {
  const folded = text
    .normalize("NFD")
    .replace(/(\p{Script=Latin})\p{Mn}+/gu, "$1")
    .normalize("NFC")
    .toLowerCase();
  return folded
    .split(/[^\p{L}\p{N}\p{M}\p{Co}]+/u)
    .filter((t) => t.length > 0 && bytes(t) <= MAX_LEXEME_BYTES);
}

/** Each distinct token's lexeme: stemmed in one round trip when FTS5 would stem it, else itself. */
export async function lexemesOf(db: Tx, tokens: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const stem: string[] = [];
  for (const t of new Set(tokens)) {
    const n = bytes(t);
    if (n >= STEM_MIN && n <= STEM_MAX) stem.push(t);
    else out.set(t, t);
  }
  if (stem.length > 0) {
    const rows = await db.query<{ w: string; l: string | null }>(
      "SELECT w, (ts_lexize('cyberbrief_stem', w))[1] AS l FROM unnest($1::text[]) AS w",
      [stem],
    );
    for (const r of rows.rows) out.set(r.w, r.l || r.w);
  }
  return out;
}

/** A lexeme as tsvector and tsquery text read it: quoted, quotes and backslashes doubled. */
export const quote = (lexeme: string): string => `'${lexeme.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;

/**
 * The tsvector text of a story: its title's words, then its body's, one position per word, with a gap between
 * them so a phrase never runs from the title into the body (FTS5 keeps them in two columns).
 */
export async function vectorOf(db: Tx, title: string, body: string): Promise<string> {
  const head = tokensOf(title);
  const tail = tokensOf(body);
  return vectorText(await lexemesOf(db, [...head, ...tail]), head, tail);
}

/** The tsvector text of a title's and a body's tokens, with `lexemes` holding each token's lexeme. */
export function vectorText(lexemes: Map<string, string>, head: string[], tail: string[]): string {
  const positions = new Map<string, number[]>();
  const add = (t: string, at: number) => {
    const lexeme = lexemes.get(t) as string;
    const list = positions.get(lexeme) ?? [];
    positions.set(lexeme, list);
    // PostgreSQL keeps at most 256 positions per lexeme; past MAX_POSITION every word shares the last one.
    if (list.length < 256) list.push(Math.min(at, MAX_POSITION));
  };
  for (const [i, t] of head.entries()) add(t, i + 1);
  for (const [i, t] of tail.entries()) add(t, head.length + 2 + i);
  return [...positions].map(([l, p]) => `${quote(l)}:${[...new Set(p)].join(",")}`).join(" ");
}

/**
 * The tsquery text of the user's terms: each term's words a phrase (each next to the one before), every term
 * required. Empty when no term has a word.
 */
export async function queryOf(db: Tx, terms: readonly string[]): Promise<string> {
  const phrases = terms.map(tokensOf).filter((t) => t.length > 0);
  if (phrases.length === 0) return "";
  const lexemes = await lexemesOf(db, phrases.flat());
  return phrases
    .map((words) => `(${words.map((w) => quote(lexemes.get(w) as string)).join(" <-> ")})`)
    .join(" & ");
}
