// Full-text search on PostgreSQL with the meaning SQLite's FTS5 search has (store/sqlite/search.ts): each user
// term is a literal phrase, every term must appear, word forms match, nothing is query syntax. The text is
// split into words here, as FTS5's unicode61 tokenizer splits it (letters, numbers and marks are word
// characters, everything else separates), so "U.S." is "U S" and "CVE-2024-1234" three words in both stores;
// the `cyberbrief` text search configuration (schema.ts) then removes accents and stems each word.

import { type StoryRow, SUMMARY_COLUMNS, toSummary } from "../sqlite/rows.js";
import type { Page } from "../types.js";
import type { Tx } from "./open.js";

/** Counts stop here, as SQLite's do (store/sqlite/search.ts COUNT_CAP). */
export const COUNT_CAP = 1000;

/** At most this many terms are searched for, as in SQLite. */
const MAX_TERMS = 16;

/** The words of a text, space-separated: runs of anything but letters, numbers and marks become one space. */
export function searchText(text: string): string {
  return text
    .normalize("NFC")
    .replace(/[^\p{L}\p{N}\p{M}\p{Co}]+/gu, " ")
    .trim();
}

/** The SQL of a story's search column from its title ($a) and body ($b), both given as searchText. */
export const searchVector = (a: string, b: string): string =>
  `to_tsvector('cyberbrief', ${a}) || to_tsvector('cyberbrief', ${b})`;

/** The user's terms as searchText, those with nothing to search dropped, at most MAX_TERMS. */
export function searchTerms(terms: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of terms) {
    const term = searchText(raw.replace(/[\p{Cc}\p{Cf}]/gu, ""));
    if (/[\p{L}\p{N}]/u.test(term)) out.push(term);
  }
  return out.slice(0, MAX_TERMS);
}

/**
 * The tsquery of searchTerms as SQL, its terms bound from parameter `$first` on: each a phrase (its words in
 * order, next to each other), all of them required.
 */
export function tsQuery(count: number, first: number): string {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(`phraseto_tsquery('cyberbrief', $${first + i})`);
  return parts.join(" && ");
}

/** A page of the stories matching every term, newest stored first, with a count that stops at COUNT_CAP. */
export async function searchPagePg(
  db: Tx,
  terms: readonly string[],
  limit: number,
  offset: number,
): Promise<Page> {
  const words = searchTerms(terms);
  if (words.length === 0) return { stories: [], total: 0 };
  const match = tsQuery(words.length, 3);
  const rows = await db.query<StoryRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM stories s WHERE s.search @@ (${match})
     ORDER BY s.rowid DESC LIMIT $1 OFFSET $2`,
    [limit, offset, ...words],
  );
  const count = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM stories s WHERE s.search @@ (${tsQuery(words.length, 1)})
     LIMIT ${COUNT_CAP + 1}) m`,
    words,
  );
  const total = count.rows[0]?.n ?? 0;
  return {
    stories: rows.rows.map(toSummary),
    total: Math.min(total, COUNT_CAP),
    ...(total > COUNT_CAP ? { capped: true } : {}),
  };
}

/** Whether the story (rowid) contains the phrase, by search's rule (keyword watches: `keywordsIn`). */
export async function hasPhrase(db: Tx, rowid: number, phrase: string): Promise<boolean> {
  const words = searchTerms([phrase]);
  if (words.length === 0) return false;
  const found = await db.query(
    "SELECT 1 FROM stories WHERE rowid = $1 AND search @@ phraseto_tsquery('cyberbrief', $2)",
    [rowid, words[0]],
  );
  return (found.rowCount ?? 0) > 0;
}
