// Migration 11: the outbox as compact rows (integer channel and tag-list ids), read as before through a view;
// and those ids, made on first use.

import type Database from "better-sqlite3";
import type { Platform } from "../../core/platform.js";

/** The row state checks: OR chains, as SQLite evaluates a CHECK with `IN (...)` at about 0.6 µs per row. */
const KIND = "kind = 'alert' OR kind = 'update' OR kind = 'source' OR kind = 'digest'";
const STATUS =
  "status = 'pending' OR status = 'sending' OR status = 'sent' OR status = 'failed' OR status = 'cancelled'";

/**
 * - `channels`: one row per channel reference; outbox rows and routing name a channel by its integer id (never
 *   deleted or renumbered, so an id always means the same channel). Subscriptions carry it too (`channel`, set by
 *   a trigger on insert), and the routing index gives it directly: a story's subscribers are integers.
 * - `tag_lists`: each distinct list of matched tags ("actor:APT40, country:NZ") stored once.
 * - `outbox`: the delivery rows, with those two ids instead of their text. Routing inserts a story's alerts in
 *   one statement from a flat JSON array of integers. Its indexes are the ones `deliveries` had, on integers.
 *   Its rows go with their story as before, through a trigger rather than a foreign key: the key's check of the
 *   story on each inserted row cost routing 0.15 µs a row, and the rows are only ever queued by the story's save.
 * - `deliveries`: a view with the columns the table had (channel_ref, platform, tags by name), for reports,
 *   `/cyber why`, the web pages and tests; writes go to `outbox`.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS channels (
  id INTEGER PRIMARY KEY,
  ref TEXT NOT NULL UNIQUE,
  platform TEXT NOT NULL CHECK (platform = 'slack' OR platform = 'discord' OR platform = 'console')
);
CREATE TABLE IF NOT EXISTS tag_lists (
  id INTEGER PRIMARY KEY,
  tags TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS outbox (
  id INTEGER PRIMARY KEY,
  story_rowid INTEGER NOT NULL,
  channel INTEGER NOT NULL,
  platform TEXT NOT NULL,
  tag_list INTEGER NOT NULL,
  kind TEXT NOT NULL DEFAULT 'alert' CHECK (${KIND}),
  update_of INTEGER,
  batched INTEGER NOT NULL DEFAULT 0,
  digest_key TEXT,
  payload TEXT,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (${STATUS}),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  message_id TEXT,
  created_at INTEGER NOT NULL,
  sent_at INTEGER
);
`;

const INDEXES = `
CREATE UNIQUE INDEX IF NOT EXISTS outbox_one_alert ON outbox(story_rowid, channel) WHERE kind = 'alert';
CREATE UNIQUE INDEX IF NOT EXISTS outbox_one_digest ON outbox(digest_key) WHERE digest_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS outbox_due ON outbox(platform, next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS outbox_pending_by_channel ON outbox(channel, id) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS outbox_sent_by_channel ON outbox(channel, sent_at) WHERE status = 'sent';
CREATE INDEX IF NOT EXISTS outbox_by_story ON outbox(story_rowid, channel) WHERE kind != 'alert';
CREATE INDEX IF NOT EXISTS subscriptions_route_channel ON subscriptions(tag, platform, channel)
  WHERE state = 'active' AND mode = 'stream';
CREATE VIEW IF NOT EXISTS deliveries AS
  SELECT o.id, o.story_rowid, c.ref AS channel_ref, o.platform, t.tags, o.kind, o.update_of, o.batched,
    o.digest_key, o.payload, o.status, o.attempts, o.next_attempt_at, o.last_error, o.message_id, o.created_at,
    o.sent_at
  FROM outbox o JOIN channels c ON c.id = o.channel JOIN tag_lists t ON t.id = o.tag_list;
CREATE TRIGGER IF NOT EXISTS stories_outbox_delete AFTER DELETE ON stories BEGIN
  DELETE FROM outbox WHERE story_rowid = old.rowid;
END;
CREATE TRIGGER IF NOT EXISTS subscriptions_channel AFTER INSERT ON subscriptions BEGIN
  INSERT OR IGNORE INTO channels (ref, platform) VALUES (new.channel_ref, new.platform);
  UPDATE subscriptions SET channel = (SELECT id FROM channels WHERE ref = new.channel_ref)
    WHERE channel_ref = new.channel_ref AND tag = new.tag;
END;
`;

/** The rows of the `deliveries` table (migrations 2-10) moved into `outbox`, ids kept. */
const MOVE_ROWS = `
INSERT OR IGNORE INTO channels (ref, platform) SELECT DISTINCT channel_ref, platform FROM deliveries ORDER BY channel_ref;
INSERT OR IGNORE INTO tag_lists (tags) SELECT DISTINCT tags FROM deliveries ORDER BY tags;
INSERT OR IGNORE INTO outbox (id, story_rowid, channel, platform, tag_list, kind, update_of, batched, digest_key,
  payload, status, attempts, next_attempt_at, last_error, message_id, created_at, sent_at)
  SELECT d.id, d.story_rowid, c.id, d.platform, t.id, d.kind, d.update_of, d.batched, d.digest_key, d.payload,
    d.status, d.attempts, d.next_attempt_at, d.last_error, d.message_id, d.created_at, d.sent_at
  FROM deliveries d JOIN channels c ON c.ref = d.channel_ref JOIN tag_lists t ON t.tags = d.tags;
DROP TABLE deliveries;
`;

const isTable = (db: Database.Database, name: string): boolean =>
  db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").pluck().get(name) === 1;

/** Applies migration 11; safe to run again (each step checks what is already there). */
export function migrateOutbox(db: Database.Database): void {
  db.exec(SCHEMA);
  db.exec(
    "INSERT OR IGNORE INTO channels (ref, platform) SELECT DISTINCT channel_ref, platform FROM subscriptions ORDER BY channel_ref",
  );
  const columns = db.prepare("SELECT name FROM pragma_table_info('subscriptions')").pluck().all();
  if (!columns.includes("channel")) db.exec("ALTER TABLE subscriptions ADD COLUMN channel INTEGER");
  db.exec(
    `UPDATE subscriptions SET channel = (SELECT id FROM channels WHERE ref = subscriptions.channel_ref)
     WHERE channel IS NULL`,
  );
  if (isTable(db, "deliveries")) db.exec(MOVE_ROWS);
  db.exec(INDEXES);
}

type Sql = (text: string) => Database.Statement;

/** The id of the channel `ref`, adding its `channels` row when it has none. */
export function channelId(sql: Sql, ref: string, platform: Platform): number {
  const found = sql("SELECT id FROM channels WHERE ref = ?").pluck().get(ref) as number | undefined;
  if (found !== undefined) return found;
  return Number(sql("INSERT INTO channels (ref, platform) VALUES (?, ?)").run(ref, platform).lastInsertRowid);
}

/** The id of each tag list ("actor:APT40, country:NZ"), adding the ones not stored yet. */
export function tagListIds(sql: Sql, lists: Iterable<string>): Map<string, number> {
  const find = sql("SELECT id FROM tag_lists WHERE tags = ?").pluck();
  const add = sql("INSERT INTO tag_lists (tags) VALUES (?)");
  const ids = new Map<string, number>();
  for (const tags of lists) {
    if (ids.has(tags)) continue;
    const found = find.get(tags) as number | undefined;
    ids.set(tags, found ?? Number(add.run(tags).lastInsertRowid));
  }
  return ids;
}
