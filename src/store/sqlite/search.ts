// Turns user words into an FTS5 query in which every word is a quoted literal, so no syntax is interpreted, and
// reads a page of a search's matches, newest first, with its capped count.

import type { Statement } from "better-sqlite3";
import type { Page } from "../types.js";
import { type StoryRow, SUMMARY_COLUMNS, toSummary } from "./rows.js";

/** Each term becomes one quoted FTS5 string ("" escapes a quote); terms are ANDed. Empty when nothing is searchable. */
export function ftsQuery(terms: string[]): string {
  const quoted: string[] = [];
  for (const raw of terms) {
    // unicode61 drops punctuation anyway; keep letters, numbers and inner marks so "U.S." still finds "U.S".
    const term = raw
      .normalize("NFC")
      .replace(/[\p{Cc}\p{Cf}]/gu, "")
      .trim();
    if (!/[\p{L}\p{N}]/u.test(term)) continue;
    quoted.push(`"${term.replace(/"/g, '""')}"`);
  }
  return quoted.slice(0, 16).join(" ");
}

/** Counts stop here, as lists' do: "1000+" is as useful as an exact number and far cheaper. */
export const COUNT_CAP = 1000;

/**
 * Words alone, as `/cyber search` reads them: newest stored first straight from the index (its rowid order), so
 * a common word never sorts every match; the count stops at COUNT_CAP.
 */
export function searchPage(
  sql: (text: string) => Statement,
  match: string,
  limit: number,
  offset: number,
): Page {
  const rows = sql(
    `SELECT ${SUMMARY_COLUMNS} FROM stories s WHERE s.rowid IN
       (SELECT rowid FROM stories_fts WHERE stories_fts MATCH ? ORDER BY rowid DESC LIMIT ?)
     ORDER BY s.rowid DESC LIMIT ? OFFSET ?`,
  ).all(match, offset + limit, limit, offset) as StoryRow[];
  const total = sql(
    `SELECT count(*) FROM (SELECT rowid FROM stories_fts WHERE stories_fts MATCH ? LIMIT ${COUNT_CAP + 1})`,
  )
    .pluck()
    .get(match) as number;
  return {
    stories: rows.map(toSummary),
    total: Math.min(total, COUNT_CAP),
    ...(total > COUNT_CAP ? { capped: true } : {}),
  };
}
