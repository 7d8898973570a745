// Full-text search on PostgreSQL with the meaning SQLite's FTS5 search has (store/sqlite/search.ts): each user
// term is a literal phrase, every term must appear, word forms match (lexemes.ts: the same tokens and stems as
// FTS5), nothing the user types is query syntax; newest stored first, the count capped as SQLite caps it.

import { type StoryRow, SUMMARY_COLUMNS, toSummary } from "../sqlite/rows.js";
import type { Page } from "../types.js";
import { lexemesOf, queryOf, quote, tokensOf } from "./lexemes.js";
import type { Tx } from "./open.js";

/** Counts stop here, as SQLite's do (store/sqlite/search.ts COUNT_CAP). */
export const COUNT_CAP = 1000;

/** At most this many terms are searched for, as in SQLite. */
const MAX_TERMS = 16;

/** The user's terms that have a letter or a number (control and format characters removed), at most MAX_TERMS. */
export function searchTerms(terms: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of terms) {
    const term = raw
      .normalize("NFC")
      .replace(/[\p{Cc}\p{Cf}]/gu, "")
      .trim();
    if (/[\p{L}\p{N}]/u.test(term)) out.push(term);
  }
  return out.slice(0, MAX_TERMS);
}

/** A page of the stories matching every term, newest stored first, with a count that stops at COUNT_CAP. */
export async function searchPagePg(
  db: Tx,
  terms: readonly string[],
  limit: number,
  offset: number,
): Promise<Page> {
  const query = await queryOf(db, searchTerms(terms));
  if (!query) return { stories: [], total: 0 };
  const rows = await db.query<StoryRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM stories s WHERE s.search @@ $1::tsquery
     ORDER BY s.rowid DESC LIMIT $2 OFFSET $3`,
    [query, limit, offset],
  );
  const count = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM stories s WHERE s.search @@ $1::tsquery
     LIMIT ${COUNT_CAP + 1}) m`,
    [query],
  );
  const total = count.rows[0]?.n ?? 0;
  return {
    stories: rows.rows.map(toSummary),
    total: Math.min(total, COUNT_CAP),
    ...(total > COUNT_CAP ? { capped: true } : {}),
  };
}

/**
 * Each phrase's tsquery text by search's rule (a keyword watch is one search term), all their words stemmed in
 * one round trip; "" for a phrase without a word.
 */
export async function phraseQueries(db: Tx, phrases: readonly string[]): Promise<string[]> {
  const words = phrases.map((p) => searchTerms([p]).flatMap(tokensOf));
  const lexemes = await lexemesOf(db, words.flat());
  return words.map((w) =>
    w.length === 0 ? "" : `(${w.map((t) => quote(lexemes.get(t) as string)).join(" <-> ")})`,
  );
}

/** Which of the keys' phrases the story (rowid) contains, by search's rule (keyword watches: `keywordsIn`). */
export async function phrasesIn<K extends string>(
  db: Tx,
  rowid: number,
  keys: readonly K[],
  phraseOf: (key: K) => string,
): Promise<K[]> {
  if (keys.length === 0) return [];
  const queries = await phraseQueries(db, keys.map(phraseOf));
  const found = await db.query<{ n: number }>(
    `SELECT q.n::int AS n FROM unnest($1::text[]) WITH ORDINALITY AS q(query, n), stories s
     WHERE s.rowid = $2 AND q.query <> '' AND s.search @@ q.query::tsquery ORDER BY q.n`,
    [queries, rowid],
  );
  return found.rows.map((r) => keys[r.n - 1] as K);
}
