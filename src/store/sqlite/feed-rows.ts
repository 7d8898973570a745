// The feeds tables (migration 4) and the mapping between their rows and the `Feed` objects of core/feeds.ts.

import type { Feed, FeedOrigin, FeedState } from "../../core/feeds.js";

/** Migration 4: feeds, the channels that follow them, and quiet ledger rows (a feed's baseline items). */
export const FEEDS_MIGRATION = `
-- One row per feed URL (normalised: scheme and host lower-cased, no fragment). AUTOINCREMENT: an id shown in a
-- list is never given to another feed later, so a late "feed remove 3" cannot hit a newer feed.
CREATE TABLE feeds (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  url TEXT NOT NULL UNIQUE,
  name TEXT,
  every_ms INTEGER NOT NULL,
  full_text INTEGER NOT NULL DEFAULT 0,
  origin TEXT NOT NULL CHECK (origin IN ('cli', 'config', 'chat')),
  added_by TEXT NOT NULL,
  added_at TEXT NOT NULL,
  etag TEXT,
  last_modified TEXT,
  last_poll_at TEXT,
  last_success_at TEXT,
  last_error TEXT,
  last_error_at TEXT,
  failing_since TEXT,
  failures INTEGER NOT NULL DEFAULT 0,
  next_poll_at TEXT NOT NULL,
  items_seen INTEGER NOT NULL DEFAULT 0,
  baselined INTEGER NOT NULL DEFAULT 0,
  unhealthy_notified_at TEXT,
  title TEXT,
  body_hash TEXT
);
CREATE INDEX feeds_due ON feeds(next_poll_at);

-- Channels told when a feed fails for a day and when it recovers: those that added it in chat.
CREATE TABLE feed_followers (
  feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
  channel_ref TEXT NOT NULL,
  added_at TEXT NOT NULL,
  PRIMARY KEY (feed_id, channel_ref)
) WITHOUT ROWID;

-- A ledger key first stored without alerting (a feed's first poll): it and its later revisions are never routed.
ALTER TABLE files ADD COLUMN quiet INTEGER NOT NULL DEFAULT 0;
`;

export interface FeedRow {
  id: number;
  url: string;
  name: string | null;
  every_ms: number;
  full_text: number;
  origin: FeedOrigin;
  added_by: string;
  added_at: string;
  etag: string | null;
  last_modified: string | null;
  last_poll_at: string | null;
  last_success_at: string | null;
  last_error: string | null;
  last_error_at: string | null;
  failing_since: string | null;
  failures: number;
  next_poll_at: string;
  items_seen: number;
  baselined: number;
  unhealthy_notified_at: string | null;
  title: string | null;
  body_hash: string | null;
}

/** Each FeedState field and its column; `updateFeed` writes only these. */
export const STATE_COLUMNS: Readonly<Record<keyof FeedState, string>> = {
  etag: "etag",
  lastModified: "last_modified",
  lastPollAt: "last_poll_at",
  lastSuccessAt: "last_success_at",
  lastError: "last_error",
  lastErrorAt: "last_error_at",
  failingSince: "failing_since",
  failures: "failures",
  nextPollAt: "next_poll_at",
  itemsSeen: "items_seen",
  baselined: "baselined",
  unhealthyNotifiedAt: "unhealthy_notified_at",
  title: "title",
  bodyHash: "body_hash",
};

/** A state value as SQLite stores it (booleans as 0/1). */
export const stateValue = (value: unknown): unknown => (typeof value === "boolean" ? (value ? 1 : 0) : value);

/** The host of a URL, for a feed with neither a name nor a title yet. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export function toFeed(row: FeedRow, followers: string[]): Feed {
  return {
    id: row.id,
    url: row.url,
    name: row.name,
    everyMs: row.every_ms,
    fullText: row.full_text === 1,
    displayName: row.name ?? row.title ?? hostOf(row.url),
    origin: row.origin,
    addedBy: row.added_by,
    addedAt: row.added_at,
    followers,
    etag: row.etag,
    lastModified: row.last_modified,
    lastPollAt: row.last_poll_at,
    lastSuccessAt: row.last_success_at,
    lastError: row.last_error,
    lastErrorAt: row.last_error_at,
    failingSince: row.failing_since,
    failures: row.failures,
    nextPollAt: row.next_poll_at,
    itemsSeen: row.items_seen,
    baselined: row.baselined === 1,
    unhealthyNotifiedAt: row.unhealthy_notified_at,
    title: row.title,
    bodyHash: row.body_hash,
  };
}
