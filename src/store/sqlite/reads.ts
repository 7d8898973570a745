// The SQLite store's reads: a story by id or prefix, the latest, a tag's stories with their count, the keywords
// a story contains, rejections and the numbers of `stats`.

import type Database from "better-sqlite3";
import type { ScanReport } from "../../core/story.js";
import { keywordOf, type TagKey } from "../../core/tags.js";
import type { Page, Rejection, StoreStats, StoryRecord, TagQuery } from "../types.js";
import { storiesWithPhrase } from "./keywords.js";
import { FEED_KEY_SQL } from "./ledger.js";
import { LEADS_ONLY, type StoryRow, SUMMARY_COLUMNS, tagRowOf, toRecord, toSummary } from "./rows.js";

const TAG_TOTAL = "SELECT stories FROM tag_counts WHERE kind = ? AND value = ? AND role = ?";
const TAG_TOTAL_COUNTED =
  "SELECT count(*) FROM story_tags WHERE kind = ? AND value = ? AND role = ? AND shown = 1";

export class StoryReads {
  private hasTagCounts: boolean | undefined;

  constructor(private readonly sql: (text: string) => Database.Statement) {}

  getStory(idOrPrefix: string): StoryRecord | undefined {
    const key = idOrPrefix.trim().toLowerCase();
    if (!/^[0-9a-f]{4,64}$/.test(key)) return undefined;
    const rows = this.sql(
      "SELECT s.*, s.rowid FROM stories s WHERE s.id >= ? AND s.id < ? ORDER BY s.id LIMIT 2",
    ).all(key, `${key}g`) as StoryRow[];
    const exact = rows.find((r) => r.id === key);
    if (exact) return toRecord(exact);
    return rows.length === 1 && rows[0] ? toRecord(rows[0]) : undefined;
  }

  latest(limit: number, offset: number): Page {
    const rows = this.sql(
      `SELECT ${SUMMARY_COLUMNS} FROM stories s WHERE ${LEADS_ONLY} ORDER BY s.date DESC, s.rowid DESC LIMIT ? OFFSET ?`,
    ).all(limit, offset) as StoryRow[];
    const total = this.sql(`SELECT count(*) FROM stories s WHERE ${LEADS_ONLY}`).pluck().get() as number;
    return { stories: rows.map(toSummary), total };
  }

  byTag(tag: TagQuery, limit: number): Page {
    const [kind, value, role] = tagRowOf(tag);
    const rows = this.sql(
      `SELECT ${SUMMARY_COLUMNS} FROM story_tags t JOIN stories s ON s.rowid = t.story_rowid
         WHERE t.kind = ? AND t.value = ? AND t.role = ? AND t.shown = 1 ORDER BY t.date DESC, t.story_rowid DESC LIMIT ?`,
    ).all(kind, value, role, limit) as StoryRow[];
    // An event counts once: a later story's tag row is shown only when the event's first story lacks the tag.
    // tag_counts keeps that count as tags are stored (count-migrations.ts), so nothing is counted here.
    // A read-only store on a schema before migration 10 has no tag_counts: it counts as before.
    const total = (this.sql(this.tagCounts() ? TAG_TOTAL : TAG_TOTAL_COUNTED)
      .pluck()
      .get(kind, value, role) ?? 0) as number;
    return { stories: rows.map(toSummary), total };
  }

  private tagCounts(): boolean {
    this.hasTagCounts ??=
      this.sql("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tag_counts'").get() !==
      undefined;
    return this.hasTagCounts;
  }

  /** Which of the keyword keys the story's title or body contains; none for an unknown story. */
  keywordsIn(storyId: string, keys: readonly TagKey[]): TagKey[] {
    const rowid = this.sql("SELECT rowid FROM stories WHERE id = ?").pluck().get(storyId) as
      | number
      | undefined;
    if (rowid === undefined) return [];
    return keys.filter((k) => storiesWithPhrase(this.sql, keywordOf(k) ?? "", [rowid]).has(rowid));
  }

  rejections(): Rejection[] {
    return this.sql(
      `SELECT path, size, mtime_ms AS mtimeMs, reason, detail, first_seen AS firstSeen, last_seen AS lastSeen
       FROM rejections ORDER BY path`,
    ).all() as Rejection[];
  }

  stats(): StoreStats {
    const count = (sql: string) => (this.sql(sql).pluck().get() as number) ?? 0;
    const last = this.sql(
      `SELECT started_at AS startedAt, finished_at AS finishedAt, new, updated, unchanged, duplicate, rejected
       FROM scans ORDER BY id DESC LIMIT 1`,
    ).get() as ScanReport | undefined;
    return {
      stories: count("SELECT count(*) FROM stories"),
      revisions: count("SELECT count(*) FROM story_revisions"),
      files: count(`SELECT count(*) FROM files WHERE NOT (${FEED_KEY_SQL})`),
      rejected: count("SELECT count(*) FROM rejections"),
      lastScan: last ?? null,
      feeds: count("SELECT count(*) FROM feeds"),
      feedItems: count(`SELECT count(*) FROM files WHERE ${FEED_KEY_SQL}`),
    };
  }
}
