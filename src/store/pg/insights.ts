// PostgreSQL read queries for trends and the web pages (store/insights.ts), with the SQLite store's meaning
// (store/sqlite/insights.ts): counts per day for a tag or a keyword phrase (search's word forms, lexemes.ts),
// filtered pages, revisions, channels. Dates and times are ISO-8601 text compared by their characters ("C").

import type pg from "pg";
import type { InsightStore, StoryFilter, StoryRevision, TrendTag } from "../insights.js";
import { LEADS_ONLY, type StoryRow, SUMMARY_COLUMNS, tagRowOf, toSummary } from "../sqlite/rows.js";
import type { Page, TagQuery } from "../types.js";
import { EVENT_OF } from "./digests.js";
import { queryOf } from "./lexemes.js";
import { COUNT_CAP, searchPagePg, searchTerms } from "./search.js";

type DayRow = { date: string; count: number };

/** The rows of the days from `from` to `to` (both YYYY-MM-DD): '~' sorts after every character of a time. */
const IN_DAYS = (column: string, from: string, to: string) =>
  `${column} COLLATE "C" >= ${from} AND ${column} COLLATE "C" <= ${to}`;

export function pgInsights(pool: pg.Pool): InsightStore {
  /** Events per day with the phrase: an event counts once, on the date of its first story that has it. */
  async function keywordDays(phrase: string, from: string, to: string): Promise<DayRow[]> {
    const query = await queryOf(pool, searchTerms([phrase]));
    if (!query) return [];
    const rows = await pool.query<DayRow>(
      `SELECT day AS date, count(*)::int AS count FROM (
         SELECT min(s.date COLLATE "C") AS day FROM stories s
         WHERE s.search @@ $1::tsquery AND ${IN_DAYS("s.date", "$2", "$3")}
         GROUP BY ${EVENT_OF}) e
       GROUP BY day ORDER BY day COLLATE "C"`,
      [query, from, `${to}~`],
    );
    return rows.rows;
  }

  return {
    async countsByDay(tag: TrendTag, from: string, to: string) {
      if (tag.kind === "keyword") return keywordDays(tag.phrase, from, to);
      // Shown tag rows: an event's tag is shown on one of its stories only, so each event counts once.
      const rows = await pool.query<DayRow>(
        `SELECT day AS date, count(*)::int AS count FROM (
           SELECT substr(date, 1, 10) AS day FROM story_tags
           WHERE kind = $1 AND value = $2 AND role = $3 AND shown = 1 AND ${IN_DAYS("date", "$4", "$5")}) t
         GROUP BY day ORDER BY day COLLATE "C"`,
        [...tagRowOf(tag), from, `${to}~`],
      );
      return rows.rows;
    },

    async filtered(filter: StoryFilter, limit: number, offset: number): Promise<Page> {
      const terms = filter.terms ?? [];
      const match = terms.length ? await queryOf(pool, searchTerms(terms)) : "";
      if (terms.length && !match) return { stories: [], total: 0 };
      if (match && filter.tags.length === 0) return searchPagePg(pool, terms, limit, offset);
      const args: unknown[] = [];
      const arg = (value: unknown) => {
        args.push(value);
        return `$${args.length}`;
      };
      const tagArgs = (t: TagQuery) => tagRowOf(t).map(arg);
      const [first, ...rest] = filter.tags;
      const where: string[] = [];
      let from: string;
      let order: string;
      if (first) {
        // The first tag drives the query through its index (newest first); the others are checked per row.
        const [kind, value, role] = tagArgs(first);
        from = "story_tags t JOIN stories s ON s.rowid = t.story_rowid";
        where.push(`t.kind = ${kind} AND t.value = ${value} AND t.role = ${role} AND t.shown = 1`);
        order = "t.date DESC, t.story_rowid DESC";
      } else {
        from = "stories s";
        if (!match) where.push(LEADS_ONLY);
        order = match ? "s.rowid DESC" : "s.date DESC, s.rowid DESC";
      }
      for (const t of rest) {
        const [kind, value, role] = tagArgs(t);
        where.push(`EXISTS (SELECT 1 FROM story_tags x WHERE x.story_rowid = s.rowid AND x.kind = ${kind}
          AND x.value = ${value} AND x.role = ${role} AND x.shown = 1)`);
      }
      if (match) where.push(`s.search @@ ${arg(match)}::tsquery`);
      const cond = where.length ? `WHERE ${where.join(" AND ")}` : "";
      const counted = args.length;
      const rows = await pool.query<StoryRow>(
        `SELECT ${SUMMARY_COLUMNS} FROM ${from} ${cond} ORDER BY ${order} LIMIT ${arg(limit)} OFFSET ${arg(offset)}`,
        args,
      );
      const count = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM (SELECT 1 FROM ${from} ${cond} LIMIT ${COUNT_CAP + 1}) m`,
        args.slice(0, counted),
      );
      const total = count.rows[0]?.n ?? 0;
      return {
        stories: rows.rows.map(toSummary),
        total: Math.min(total, COUNT_CAP),
        ...(total > COUNT_CAP ? { capped: true } : {}),
      };
    },

    async revisions(storyId: string): Promise<StoryRevision[]> {
      const rows = await pool.query<StoryRevision>(
        `SELECT r.revision, r.title, r.summary, r.saved_at AS "savedAt" FROM story_revisions r
         JOIN stories s ON s.rowid = r.story_rowid WHERE s.id = $1 AND r.revision < s.revision
         ORDER BY r.revision DESC`,
        [storyId],
      );
      return rows.rows;
    },

    async channels(storyId?: string) {
      const subscribed = await pool.query<{ channel: string }>(
        `SELECT DISTINCT channel_ref COLLATE "C" AS channel FROM subscriptions WHERE state <> 'removed'
         ORDER BY 1`,
      );
      const channels = subscribed.rows.map((r) => r.channel);
      if (!storyId) return channels;
      const delivered = await pool.query<{ channel: string }>(
        `SELECT DISTINCT d.channel_ref AS channel FROM deliveries d JOIN stories s ON s.rowid = d.story_rowid
         WHERE s.id = $1`,
        [storyId],
      );
      return [...new Set([...channels, ...delivered.rows.map((r) => r.channel)])].sort();
    },
  };
}
