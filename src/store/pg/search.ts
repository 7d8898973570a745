// Full-text search on PostgreSQL with the meaning SQLite's FTS5 search has (store/sqlite/search.ts): each user
// term is a literal phrase, every term must appear, word forms match (lexemes.ts: the same tokens and stems as
// FTS5), nothing the user types is query syntax; newest stored first, the count capped as SQLite caps it.

import { type StoryRow, SUMMARY_COLUMNS, toSummary } from "../sqlite/rows.js";
import type { Page } from "../types.js";
import { queryOf } from "./lexemes.js";
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

/** Whether the story (rowid) contains the phrase, by search's rule (keyword watches: `keywordsIn`). */
export async function hasPhrase(db: Tx, rowid: number, phrase: string): Promise<boolean> {
  const query = await queryOf(db, searchTerms([phrase]));
  if (!query) return false;
  const found = await db.query("SELECT 1 FROM stories WHERE rowid = $1 AND search @@ $2::tsquery", [
    rowid,
    query,
  ]);
  return (found.rowCount ?? 0) > 0;
}
