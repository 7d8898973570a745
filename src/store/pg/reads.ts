// The PostgreSQL store's reads: stories by id, the latest, by tag, rejections and the numbers of `stats`, with
// the SQLite store's meaning (store/sqlite/reads.ts) and its row mapping (store/sqlite/rows.ts).

import type { ScanReport } from "../../core/story.js";
import { LEADS_ONLY, type StoryRow, SUMMARY_COLUMNS, tagRowOf, toRecord, toSummary } from "../sqlite/rows.js";
import type { Page, Rejection, StoreStats, StoryRecord, TagQuery } from "../types.js";
import { FEED_KEY_PG } from "./ledger.js";
import type { Tx } from "./open.js";

/** A story's columns as a record needs them: not its search column nor its event facts. */
const RECORD_COLUMNS = `s.rowid, s.id, s.path, s.content_hash, s.revision, s.date, s.date_estimated, s.title, s.body,
  s.summary, s.url, s.source, s.tags_json, s.ingested_at, s.updated_at`;

export async function rejections(db: Tx): Promise<Rejection[]> {
  const rows = await db.query<Rejection>(
    `SELECT path, size, mtime_ms AS "mtimeMs", reason, detail, first_seen AS "firstSeen", last_seen AS "lastSeen"
     FROM rejections ORDER BY path COLLATE "C"`,
  );
  return rows.rows;
}

export async function stats(db: Tx): Promise<StoreStats> {
  const counts = await db.query<Record<string, number>>(
    `SELECT (SELECT count(*) FROM stories)::int AS stories,
       (SELECT count(*) FROM story_revisions)::int AS revisions,
       (SELECT count(*) FROM files WHERE NOT (${FEED_KEY_PG}))::int AS files,
       (SELECT count(*) FROM rejections)::int AS rejected,
       (SELECT count(*) FROM feeds)::int AS feeds,
       (SELECT count(*) FROM files WHERE ${FEED_KEY_PG})::int AS "feedItems"`,
  );
  const last = await db.query<ScanReport>(
    `SELECT started_at AS "startedAt", finished_at AS "finishedAt", new, updated, unchanged, duplicate, rejected
     FROM scans ORDER BY id DESC LIMIT 1`,
  );
  const c = counts.rows[0] ?? {};
  return {
    stories: c.stories ?? 0,
    revisions: c.revisions ?? 0,
    files: c.files ?? 0,
    rejected: c.rejected ?? 0,
    lastScan: last.rows[0] ?? null,
    feeds: c.feeds ?? 0,
    feedItems: c.feedItems ?? 0,
  };
}

export async function getStory(db: Tx, idOrPrefix: string): Promise<StoryRecord | undefined> {
  const key = idOrPrefix.trim().toLowerCase();
  if (!/^[0-9a-f]{4,64}$/.test(key)) return undefined;
  const found = await db.query<StoryRow>(
    `SELECT ${RECORD_COLUMNS} FROM stories s WHERE s.id COLLATE "C" >= $1 AND s.id COLLATE "C" < $2
     ORDER BY s.id COLLATE "C" LIMIT 2`,
    [key, `${key}g`],
  );
  const rows = found.rows;
  const exact = rows.find((r) => r.id === key);
  if (exact) return toRecord(exact);
  return rows.length === 1 && rows[0] ? toRecord(rows[0]) : undefined;
}

export async function latest(db: Tx, limit: number, offset = 0): Promise<Page> {
  const rows = await db.query<StoryRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM stories s WHERE ${LEADS_ONLY}
     ORDER BY s.date DESC, s.rowid DESC LIMIT $1 OFFSET $2`,
    [limit, offset],
  );
  const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM stories s WHERE ${LEADS_ONLY}`);
  return { stories: rows.rows.map(toSummary), total: total.rows[0]?.n ?? 0 };
}

export async function byTag(db: Tx, tag: TagQuery, limit: number): Promise<Page> {
  const [kind, value, role] = tagRowOf(tag);
  const rows = await db.query<StoryRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM story_tags t JOIN stories s ON s.rowid = t.story_rowid
     WHERE t.kind = $1 AND t.value = $2 AND t.role = $3 AND t.shown = 1
     ORDER BY t.date DESC, t.story_rowid DESC LIMIT $4`,
    [kind, value, role, limit],
  );
  const total = await db.query<{ stories: number }>(
    "SELECT stories FROM tag_counts WHERE kind = $1 AND value = $2 AND role = $3",
    [kind, value, role],
  );
  return { stories: rows.rows.map(toSummary), total: total.rows[0]?.stories ?? 0 };
}
