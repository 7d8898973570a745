// SQLite read queries for trends and the web pages (store/insights.ts), on the store's own connection.

import type { InsightStore, StoryFilter, TrendTag } from "../insights.js";
import type { Page } from "../types.js";
import { LEADS_ONLY, type StoryRow, SUMMARY_COLUMNS, tagRowOf, toSummary } from "./rows.js";
import { COUNT_CAP, ftsQuery, searchPage } from "./search.js";
import { statementCache } from "./statements.js";
import type { SqliteStoryStore } from "./store.js";

const HAS_TAG =
  "EXISTS (SELECT 1 FROM story_tags x WHERE x.story_rowid = s.rowid AND x.kind = ? AND x.value = ? AND x.role = ? AND x.shown = 1)";

export function sqliteInsights(store: SqliteStoryStore): InsightStore {
  const sql = statementCache(store.db);
  return {
    async countsByDay(tag: TrendTag, from: string, to: string) {
      if (tag.kind === "keyword") {
        const match = ftsQuery([tag.phrase]);
        if (!match) return [];
        // The index is read only from the first story dated in the period (a common word has matches in every
        // year); an event counts once, on the date of its first story that has the words.
        const first = sql("SELECT min(rowid) FROM stories WHERE date >= ? AND date <= ?")
          .pluck()
          .get(from, `${to}~`) as number | null;
        if (first === null) return [];
        return sql(
          `SELECT date, count(*) AS count FROM (
             SELECT min(s.date) AS date FROM stories s
             WHERE s.rowid IN (SELECT rowid FROM stories_fts WHERE stories_fts MATCH ? AND rowid >= ?)
               AND s.date >= ? AND s.date <= ?
             GROUP BY coalesce(s.event_rowid, s.rowid))
           GROUP BY date ORDER BY date`,
        ).all(match, first, from, `${to}~`) as Array<{ date: string; count: number }>;
      }
      const [kind, value, role] = tagRowOf(tag);
      return sql(
        `SELECT substr(date, 1, 10) AS date, count(*) AS count FROM story_tags
         WHERE kind = ? AND value = ? AND role = ? AND shown = 1 AND date >= ? AND date <= ?
         GROUP BY substr(date, 1, 10) ORDER BY 1`,
      ).all(kind, value, role, from, `${to}~`) as Array<{ date: string; count: number }>;
    },

    async filtered(filter: StoryFilter, limit: number, offset: number): Promise<Page> {
      const match = filter.terms?.length ? ftsQuery(filter.terms) : "";
      if (filter.terms?.length && !match) return { stories: [], total: 0 };
      if (match && filter.tags.length === 0) return searchPage(sql, match, limit, offset);
      const [first, ...rest] = filter.tags;
      const args: unknown[] = [];
      let from: string;
      let order: string;
      const where: string[] = [];
      if (first) {
        // The first tag drives the query through its index (newest first); the others are checked per row.
        from = "story_tags t JOIN stories s ON s.rowid = t.story_rowid";
        where.push("t.kind = ? AND t.value = ? AND t.role = ? AND t.shown = 1");
        args.push(...tagRowOf(first));
        order = "t.date DESC, t.story_rowid DESC";
      } else {
        from = "stories s";
        if (!match) where.push(LEADS_ONLY);
        order = match ? "s.rowid DESC" : "s.date DESC, s.rowid DESC";
      }
      for (const t of rest) {
        where.push(HAS_TAG);
        args.push(...tagRowOf(t));
      }
      if (match) {
        where.push("s.rowid IN (SELECT rowid FROM stories_fts WHERE stories_fts MATCH ?)");
        args.push(match);
      }
      const cond = where.length ? `WHERE ${where.join(" AND ")}` : "";
      const rows = sql(
        `SELECT ${SUMMARY_COLUMNS} FROM ${from} ${cond} ORDER BY ${order} LIMIT ? OFFSET ?`,
      ).all(...args, limit, offset) as StoryRow[];
      const total = sql(`SELECT count(*) FROM (SELECT 1 FROM ${from} ${cond} LIMIT ${COUNT_CAP + 1})`)
        .pluck()
        .get(...args) as number;
      return {
        stories: rows.map(toSummary),
        total: Math.min(total, COUNT_CAP),
        ...(total > COUNT_CAP ? { capped: true } : {}),
      };
    },

    async revisions(storyId: string) {
      return sql(
        `SELECT r.revision, r.title, r.summary, r.saved_at AS savedAt FROM story_revisions r
         JOIN stories s ON s.rowid = r.story_rowid WHERE s.id = ? AND r.revision < s.revision
         ORDER BY r.revision DESC`,
      ).all(storyId) as Array<{ revision: number; title: string; summary: string; savedAt: string }>;
    },

    async channels(storyId?: string) {
      const subscribed = sql(
        "SELECT DISTINCT channel_ref FROM subscriptions WHERE state != 'removed' ORDER BY channel_ref",
      )
        .pluck()
        .all() as string[];
      if (!storyId) return subscribed;
      const delivered = sql(
        `SELECT DISTINCT d.channel_ref FROM deliveries d JOIN stories s ON s.rowid = d.story_rowid WHERE s.id = ?`,
      )
        .pluck()
        .all(storyId) as string[];
      return [...new Set([...subscribed, ...delivered])].sort();
    },
  };
}
