// Versioned schema migrations, applied in order at start-up inside one transaction each; safe to run twice.

import type Database from "better-sqlite3";
import { TAG_COUNTS_MIGRATION } from "./count-migrations.js";
import { DELIVERY_STATE, EVENT_TAGS_MIGRATION, EVENTS_MIGRATION } from "./event-migrations.js";
import { FEEDS_MIGRATION } from "./feed-rows.js";
import { migrateOutbox } from "./outbox-migration.js";
import { RICHER_TAGS_MIGRATION } from "./tag-migrations.js";

export interface Migration {
  version: number;
  name: string;
  /** The migration's SQL; `apply` runs after it, for steps that depend on what the database holds. */
  sql: string;
  apply?: (db: Database.Database) => void;
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: "stories, tags, files, rejections, full-text index",
    sql: `
CREATE TABLE stories (
  rowid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  path TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  revision INTEGER NOT NULL DEFAULT 1,
  date TEXT NOT NULL,
  date_estimated INTEGER NOT NULL DEFAULT 0,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  summary TEXT NOT NULL,
  url TEXT,
  source TEXT,
  tags_json TEXT NOT NULL DEFAULT '{"actors":[],"countries":[]}',
  ingested_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX stories_by_date ON stories(date DESC, rowid DESC);
CREATE INDEX stories_by_hash ON stories(content_hash);
CREATE INDEX stories_by_path ON stories(path);

CREATE TABLE story_revisions (
  story_rowid INTEGER NOT NULL REFERENCES stories(rowid) ON DELETE CASCADE,
  revision INTEGER NOT NULL,
  content_hash TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  summary TEXT NOT NULL,
  saved_at TEXT NOT NULL,
  PRIMARY KEY (story_rowid, revision)
);

-- One row per (story, kind, value, role); date copied in so "latest by tag" is one index range.
CREATE TABLE story_tags (
  story_rowid INTEGER NOT NULL REFERENCES stories(rowid) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('actor', 'country')),
  value TEXT NOT NULL,
  role TEXT NOT NULL DEFAULT '',
  matched_json TEXT NOT NULL DEFAULT '[]',
  date TEXT NOT NULL,
  PRIMARY KEY (story_rowid, kind, value, role)
);
CREATE INDEX story_tags_by_tag ON story_tags(kind, value, role, date DESC, story_rowid DESC);

CREATE TABLE files (
  path TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  mtime_ms REAL NOT NULL,
  content_hash TEXT,
  story_id TEXT,
  status TEXT NOT NULL CHECK (status IN ('stored', 'duplicate', 'rejected')),
  seen_at TEXT NOT NULL
);
CREATE INDEX files_by_hash ON files(content_hash);

CREATE TABLE rejections (
  path TEXT PRIMARY KEY,
  reason TEXT NOT NULL,
  detail TEXT NOT NULL,
  size INTEGER NOT NULL,
  mtime_ms REAL NOT NULL,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL
);

CREATE TABLE scans (
  id INTEGER PRIMARY KEY,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  new INTEGER NOT NULL, updated INTEGER NOT NULL, unchanged INTEGER NOT NULL,
  duplicate INTEGER NOT NULL, rejected INTEGER NOT NULL
);

CREATE VIRTUAL TABLE stories_fts USING fts5(
  title, body, content='stories', content_rowid='rowid', tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER stories_fts_insert AFTER INSERT ON stories BEGIN
  INSERT INTO stories_fts(rowid, title, body) VALUES (new.rowid, new.title, new.body);
END;
CREATE TRIGGER stories_fts_delete AFTER DELETE ON stories BEGIN
  INSERT INTO stories_fts(stories_fts, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body);
END;
CREATE TRIGGER stories_fts_update AFTER UPDATE OF title, body ON stories BEGIN
  INSERT INTO stories_fts(stories_fts, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body);
  INSERT INTO stories_fts(rowid, title, body) VALUES (new.rowid, new.title, new.body);
END;
`,
  },
  {
    version: 2,
    name: "subscriptions, their audit trail, and the delivery outbox",
    sql: `
-- One row per (channel, tag) ever subscribed; 'removed' rows stay so the channel's history is kept.
CREATE TABLE subscriptions (
  channel_ref TEXT NOT NULL,
  tag TEXT NOT NULL,
  platform TEXT NOT NULL CHECK (platform IN ('slack', 'discord', 'console')),
  state TEXT NOT NULL CHECK (state IN ('active', 'disabled', 'removed')),
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  disabled_at TEXT,
  disabled_reason TEXT,
  PRIMARY KEY (channel_ref, tag)
) WITHOUT ROWID;
-- Routing reads only this: cost follows the story's tags and their subscribers, not all subscriptions.
CREATE INDEX subscriptions_route ON subscriptions(tag, channel_ref, platform) WHERE state = 'active';

CREATE TABLE subscription_events (
  id INTEGER PRIMARY KEY,
  channel_ref TEXT NOT NULL,
  tag TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('subscribe', 'unsubscribe', 'disable')),
  user TEXT NOT NULL,
  at TEXT NOT NULL,
  reason TEXT
);
CREATE INDEX subscription_events_by_channel ON subscription_events(channel_ref, id);

-- The outbox. UNIQUE(story, channel) is the exactly-once-per-channel rule: re-ingest, revisions, restarts and
-- overlapping tags all collapse onto one row. Times are epoch milliseconds.
CREATE TABLE deliveries (
  id INTEGER PRIMARY KEY,
  story_rowid INTEGER NOT NULL REFERENCES stories(rowid) ON DELETE CASCADE,
  channel_ref TEXT NOT NULL,
  platform TEXT NOT NULL,
  tags TEXT NOT NULL,
  ${DELIVERY_STATE},
  UNIQUE (story_rowid, channel_ref)
);
-- Partial indexes: routing inserts only touch the small pending ones (a full per-channel index would take a
-- scattered write per row into a large b-tree, doubling the routing cost); 'sent' is indexed when marked sent.
CREATE INDEX deliveries_due ON deliveries(platform, next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX deliveries_pending_by_channel ON deliveries(channel_ref, id) WHERE status = 'pending';
CREATE INDEX deliveries_sent_by_channel ON deliveries(channel_ref, sent_at) WHERE status = 'sent';
`,
  },
  {
    version: 3,
    name: "edits of revised stories in the outbox; paused platforms",
    sql: `
-- Rebuilt (SQLite cannot drop a table constraint) so a channel can get edits of a story it was alerted to:
-- one 'alert' row per (story, channel) stays the rule, through a partial unique index; 'update' rows point at
-- the alert row whose message they edit. batched marks an alert sent inside a digest (nothing to edit in place).
CREATE TABLE deliveries_v3 (
  id INTEGER PRIMARY KEY,
  story_rowid INTEGER NOT NULL REFERENCES stories(rowid) ON DELETE CASCADE,
  channel_ref TEXT NOT NULL,
  platform TEXT NOT NULL,
  tags TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT 'alert' CHECK (kind IN ('alert', 'update')),
  update_of INTEGER,
  batched INTEGER NOT NULL DEFAULT 0,
  ${DELIVERY_STATE}
);
INSERT INTO deliveries_v3 (id, story_rowid, channel_ref, platform, tags, status, attempts, next_attempt_at,
  last_error, message_id, created_at, sent_at)
SELECT id, story_rowid, channel_ref, platform, tags, status, attempts, next_attempt_at, last_error, message_id,
  created_at, sent_at FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_v3 RENAME TO deliveries;
CREATE UNIQUE INDEX deliveries_one_alert ON deliveries(story_rowid, channel_ref) WHERE kind = 'alert';
CREATE INDEX deliveries_due ON deliveries(platform, next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX deliveries_pending_by_channel ON deliveries(channel_ref, id) WHERE status = 'pending';
CREATE INDEX deliveries_sent_by_channel ON deliveries(channel_ref, sent_at) WHERE status = 'sent';

-- A platform whose token was refused while running: its deliveries wait. The running bot writes this and
-- cyberbrief status reads it; it is cleared when the bot connects with a valid token.
CREATE TABLE platform_state (
  platform TEXT PRIMARY KEY CHECK (platform IN ('slack', 'discord', 'console')),
  state TEXT NOT NULL CHECK (state IN ('paused')),
  reason TEXT NOT NULL,
  since INTEGER NOT NULL
) WITHOUT ROWID;
`,
  },
  // The feeds tables and the ledger's quiet column; the SQL sits beside the rows it maps (feed-rows.ts).
  { version: 4, name: "feeds, their followers, and quiet ledger rows", sql: FEEDS_MIGRATION },
  {
    version: 5,
    name: "the cyber signal of each story",
    // Stories stored before it were alerted as cyber ones: they keep that meaning (1) until revised.
    sql: "ALTER TABLE stories ADD COLUMN cyber INTEGER NOT NULL DEFAULT 1;",
  },
  { version: 6, name: "events of merged stories, thread replies, digests", sql: EVENTS_MIGRATION },
  { version: 7, name: "the tags each event's later stories show", sql: EVENT_TAGS_MIGRATION },
  { version: 8, name: "sector, malware and CVE tags; attacked countries", sql: RICHER_TAGS_MIGRATION },
  {
    version: 9,
    name: "a new story's full-text row written by the saver",
    // The saver (save.ts) inserts it beside the story: through the trigger, ingest spent 1.7x as long in FTS5.
    sql: "DROP TRIGGER IF EXISTS stories_fts_insert;",
  },
  { version: 10, name: "story counts per tag, kept as tags are stored", sql: TAG_COUNTS_MIGRATION },
  {
    version: 11,
    name: "the outbox as compact rows: channel and tag-list ids; deliveries as a view",
    sql: "",
    apply: migrateOutbox,
  },
];

/** Apply every migration newer than the database; returns the versions applied. */
export function migrate(db: Database.Database, list: Migration[] = migrations): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const done = new Set(
    (db.prepare("SELECT version FROM schema_migrations").all() as { version: number }[]).map(
      (r) => r.version,
    ),
  );
  const applied: number[] = [];
  for (const m of [...list].sort((a, b) => a.version - b.version)) {
    if (done.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      m.apply?.(db);
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(
        m.version,
        m.name,
        new Date().toISOString(),
      );
    }).immediate();
    applied.push(m.version);
  }
  return applied;
}
