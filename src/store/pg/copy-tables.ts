// What `cyberbrief copy` moves from an SQLite store into PostgreSQL: one copier per family of tables, each with
// its tables' rows, the counts that verify them on both sides, and the id sequences to move past the copied ids.
// Ids are kept as they are (story rowids, delivery, audit, scan and feed ids), so every reference between rows
// (tags, revisions and deliveries to their story, an event's stories to its first one, an update to its alert
// row, followers to their feed) still holds. A table added to either store needs a copier here.
//
// Every table of the PostgreSQL migrations (pg/migrations.ts), and what fills it (checked by tests/store/pg/copy):
//   1  stories, story_revisions, story_tags          moved (stories with their search column)
//      tag_counts                                    derived from the moved story_tags
//      files, rejections, scans                      moved
//   2  subscriptions, subscription_events            moved
//   3  feeds, feed_followers                         moved
//   4  story_keys, event_leads                       derived from the moved stories (copy-events.ts)
//  10  leader_terms                                  not copied: the terms of running replicas, none yet
//  11  deliveries, platform_state                    moved
//      schema_migrations                             not copied: written by `cyberbrief migrate` itself

import { eventsCopier } from "./copy-events.js";
import type { Copier, CountCheck } from "./copy-rows.js";
import { lexemesOf, tokensOf, vectorText } from "./lexemes.js";
import type { Tx } from "./open.js";

export type { Copier, CountCheck, SequenceFix } from "./copy-rows.js";

/** The SQLite schema version the copiers read (store/sqlite/migrations.ts); a newer store needs them extended. */
export const COPY_SQLITE_VERSION = 11;

/** PostgreSQL tables that copy leaves alone: its own migrations, and leadership terms of running replicas. */
export const NOT_COPIED = ["schema_migrations", "leader_terms"];

/** The same count on both sides. */
const rowsOf = (table: string, where = ""): CountCheck => {
  const sql = `SELECT count(*) AS n FROM ${table}${where ? ` WHERE ${where}` : ""}`;
  return { label: table, sqlite: sql, pg: sql };
};

const STORY_COLUMNS = [
  ...["rowid", "id", "path", "content_hash", "revision", "date", "date_estimated", "title", "body"],
  ...["summary", "url", "source", "tags_json", "cyber", "ingested_at", "updated_at", "event_rowid"],
  ...["merged_json", "sketch", "signature", "topic"],
];
const TITLE = STORY_COLUMNS.indexOf("title");
const BODY = STORY_COLUMNS.indexOf("body");

/** Each story of a batch with its search column, every word of the batch stemmed in one round trip. */
async function withSearch(tx: Tx, rows: unknown[][]): Promise<unknown[][]> {
  const words = rows.map((r) => [tokensOf(String(r[TITLE])), tokensOf(String(r[BODY]))] as const);
  const lexemes = await lexemesOf(
    tx,
    words.flatMap(([head, tail]) => [...head, ...tail]),
  );
  return rows.map((r, i) => {
    const [head, tail] = words[i] as readonly [string[], string[]];
    return [...r, vectorText(lexemes, head, tail)];
  });
}

/** Stories with their search column, revisions and tag rows, and the story counts per tag. */
export const storiesCopier: Copier = {
  family: "stories",
  moves: [
    {
      table: "stories",
      columns: [...STORY_COLUMNS, "search"],
      select: `SELECT ${STORY_COLUMNS.join(", ")} FROM stories ORDER BY rowid`,
      batch: 200,
      shape: withSearch,
    },
    {
      table: "story_revisions",
      columns: ["story_rowid", "revision", "content_hash", "title", "body", "summary", "saved_at"],
      select: `SELECT story_rowid, revision, content_hash, title, body, summary, saved_at FROM story_revisions
        ORDER BY story_rowid, revision`,
      batch: 200,
    },
    {
      table: "story_tags",
      columns: ["story_rowid", "kind", "value", "role", "matched_json", "date", "shown", "event_rowid"],
      select: `SELECT story_rowid, kind, value, role, matched_json, date, shown, event_rowid FROM story_tags
        ORDER BY story_rowid, kind, value, role`,
      batch: 1000,
    },
  ],
  // The trigger that keeps tag_counts would update each tag's row once per story, in one transaction (every
  // version of the row kept to its end): off for the copy, the counts made in one pass after it.
  derived: ["tag_counts"],
  before: "ALTER TABLE story_tags DISABLE TRIGGER tag_counts_follow",
  after: `INSERT INTO tag_counts (kind, value, role, stories)
      SELECT kind, value, role, count(*) FROM story_tags WHERE shown = 1 GROUP BY kind, value, role;
    ALTER TABLE story_tags ENABLE TRIGGER tag_counts_follow`,
  checks: [
    rowsOf("stories"),
    rowsOf("story_revisions"),
    rowsOf("story_tags"),
    // A tag whose stories all went keeps a row of 0 in SQLite; PostgreSQL counts only the copied rows.
    rowsOf("tag_counts", "stories > 0"),
    {
      label: "tag_counts (stories)",
      sqlite: "SELECT coalesce(sum(stories), 0) AS n FROM tag_counts",
      pg: "SELECT coalesce(sum(stories), 0) AS n FROM tag_counts",
    },
    {
      label: "search rows",
      sqlite: "SELECT count(*) AS n FROM stories_fts_docsize",
      pg: "SELECT count(*) AS n FROM stories WHERE search IS NOT NULL",
    },
  ],
  sequences: [{ table: "stories", column: "rowid" }],
};

/** The file ledger: files seen, rejected files with their reasons, scan reports. */
export const ledgerCopier: Copier = {
  family: "file ledger",
  moves: [
    {
      table: "files",
      columns: ["path", "size", "mtime_ms", "content_hash", "story_id", "status", "seen_at", "quiet"],
      select:
        "SELECT path, size, mtime_ms, content_hash, story_id, status, seen_at, quiet FROM files ORDER BY path",
    },
    {
      table: "rejections",
      columns: ["path", "reason", "detail", "size", "mtime_ms", "first_seen", "last_seen"],
      select: `SELECT path, reason, detail, size, mtime_ms, first_seen, last_seen FROM rejections ORDER BY path`,
    },
    {
      table: "scans",
      columns: ["id", "started_at", "finished_at", "new", "updated", "unchanged", "duplicate", "rejected"],
      select: `SELECT id, started_at, finished_at, new, updated, unchanged, duplicate, rejected FROM scans
        ORDER BY id`,
    },
  ],
  checks: [rowsOf("files"), rowsOf("rejections"), rowsOf("scans")],
  sequences: [{ table: "scans", column: "id" }],
};

/** Subscriptions, removed and disabled ones included, and their audit trail. */
export const subscriptionsCopier: Copier = {
  family: "subscriptions",
  moves: [
    {
      table: "subscriptions",
      columns: [
        ...["channel_ref", "tag", "platform", "state", "created_by", "created_at", "disabled_at"],
        ...["disabled_reason", "mode", "at"],
      ],
      select: `SELECT channel_ref, tag, platform, state, created_by, created_at, disabled_at, disabled_reason, mode,
        at FROM subscriptions ORDER BY channel_ref, tag`,
    },
    {
      table: "subscription_events",
      columns: ["id", "channel_ref", "tag", "action", "user", "at", "reason"],
      select: "SELECT id, channel_ref, tag, action, user, at, reason FROM subscription_events ORDER BY id",
    },
  ],
  checks: [rowsOf("subscriptions"), rowsOf("subscription_events")],
  sequences: [{ table: "subscription_events", column: "id" }],
};

/**
 * The outbox: every delivery with its id (update and source rows name their alert row by id) and paused
 * platforms. A row in flight when the SQLite bot stopped is copied as a claim that has already lapsed, so the
 * first replica to look sends it again, as SQLite's restart would.
 */
export const outboxCopier: Copier = {
  family: "outbox",
  moves: [
    {
      table: "deliveries",
      columns: [
        ...["id", "story_rowid", "channel_ref", "platform", "tags", "kind", "update_of", "batched"],
        ...["digest_key", "payload", "status", "attempts", "next_attempt_at", "last_error", "message_id"],
        ...["created_at", "sent_at", "claimed_by", "lease_until"],
      ],
      select: `SELECT id, story_rowid, channel_ref, platform, tags, kind, update_of, batched, digest_key, payload,
        status, attempts, next_attempt_at, last_error, message_id, created_at, sent_at,
        CASE WHEN status = 'sending' THEN 'cyberbrief copy' END, CASE WHEN status = 'sending' THEN 0 END
        FROM deliveries ORDER BY id`,
    },
    {
      table: "platform_state",
      columns: ["platform", "state", "reason", "since"],
      select: "SELECT platform, state, reason, since FROM platform_state ORDER BY platform",
    },
  ],
  // SQLite keeps its outbox compact (migration 11: channel and tag-list ids); its `deliveries` view reads as one.
  sources: ["outbox", "channels", "tag_lists"],
  checks: [rowsOf("deliveries"), rowsOf("platform_state")],
  sequences: [{ table: "deliveries", column: "id" }],
};

/** Feeds with their polling state and the channels that follow them; a feed id is never given out again. */
export const feedsCopier: Copier = {
  family: "feeds",
  moves: [
    {
      table: "feeds",
      columns: [
        ...["id", "url", "name", "every_ms", "full_text", "origin", "added_by", "added_at", "etag"],
        ...["last_modified", "last_poll_at", "last_success_at", "last_error", "last_error_at"],
        ...["failing_since", "failures", "next_poll_at", "items_seen", "baselined"],
        ...["unhealthy_notified_at", "title", "body_hash"],
      ],
      select: `SELECT id, url, name, every_ms, full_text, origin, added_by, added_at, etag, last_modified,
        last_poll_at, last_success_at, last_error, last_error_at, failing_since, failures, next_poll_at,
        items_seen, baselined, unhealthy_notified_at, title, body_hash FROM feeds ORDER BY id`,
    },
    {
      table: "feed_followers",
      columns: ["feed_id", "channel_ref", "added_at"],
      select: "SELECT feed_id, channel_ref, added_at FROM feed_followers ORDER BY feed_id, channel_ref",
    },
  ],
  checks: [rowsOf("feeds"), rowsOf("feed_followers")],
  // AUTOINCREMENT remembers ids of removed feeds too: PostgreSQL starts past those as well.
  sequences: [
    {
      table: "feeds",
      column: "id",
      sqliteFloor: "SELECT coalesce(max(seq), 0) AS n FROM sqlite_sequence WHERE name = 'feeds'",
    },
  ],
};

/** The PostgreSQL tables the copiers write, moved or derived. */
export const copiedTables = (copiers: readonly Copier[]): string[] =>
  copiers.flatMap((c) => [...c.moves.map((m) => m.table), ...(c.derived ?? [])]);

/** The SQLite tables the copy accounts for: the PostgreSQL ones, and those read through a view of another name. */
export const sqliteTablesRead = (copiers: readonly Copier[]): string[] => [
  ...copiedTables(copiers),
  ...copiers.flatMap((c) => c.sources ?? []),
];

/** Every copier, in an order that writes a row after the rows it points at. */
export const COPIERS: readonly Copier[] = [
  storiesCopier,
  eventsCopier,
  ledgerCopier,
  subscriptionsCopier,
  outboxCopier,
  feedsCopier,
];
