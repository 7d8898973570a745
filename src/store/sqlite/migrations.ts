// Versioned schema migrations, applied in order at start-up inside one transaction each; safe to run twice.

import type Database from "better-sqlite3";

export interface Migration {
  version: number;
  name: string;
  sql: string;
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
  title, body, content='stories', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
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
];

/** Apply every migration newer than the database; returns the versions applied. */
export function migrate(db: Database.Database, list: Migration[] = migrations): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const done = new Set(
    (db.prepare("SELECT version FROM schema_migrations").all() as { version: number }[]).map((r) => r.version),
  );
  const applied: number[] = [];
  for (const m of [...list].sort((a, b) => a.version - b.version)) {
    if (done.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
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
