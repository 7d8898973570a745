// The file ledger's path rules: which story a file belongs to, and a renamed file taking its story along.
//
// A story is bound to one file (`stories.path`). Another file with the same text is a duplicate of it. When
// the bound file no longer exists, the duplicate is that file renamed (or copied, then the original removed):
// the story moves to the new path, so later edits of it are revisions, not a second story. While the
// original still exists the other file is a copy: editing the copy makes a story of its own (it now says
// something else), and editing the original revises the story as before.
//
// Feed items share the ledger under keys that are not file-system paths (their canonical links). Such a key
// always "exists" and never takes a story from another key: a feed item with the text of another story is a
// duplicate of it, whether that story came from a file or a feed.

import type Database from "better-sqlite3";
import type { RejectReason } from "../../core/reject.js";
import { type FileFacts, type FileRecord, type FileStatus, isFeedKey } from "../../core/story.js";

type Sql = (text: string) => Database.Statement;

export interface BoundStory {
  rowid: number;
  id: string;
  content_hash: string;
  revision: number;
}

interface StoryAt extends BoundStory {
  path: string;
}

/** How many stories with the same text are looked at for a renamed file (more would be one text stored often). */
const TWINS = 8;

/** Keys per lookup: each chunk is one bound JSON array (SQLite limits bound parameters, not their size). */
const CHUNK = 500;

/** Ledger keys of feed items, as `isFeedKey` (core/story.ts) tells them apart: a URL ("https://…"), never a file path. */
export const FEED_KEY_SQL = "path GLOB '[a-zA-Z]*://*'";

type LedgerRow = [string, number, number, string | null, string | null, FileStatus, number];

const toRecord = ([path, size, mtimeMs, contentHash, storyId, status, quiet]: LedgerRow): FileRecord => ({
  path,
  size,
  mtimeMs,
  contentHash,
  storyId,
  status,
  quiet: quiet === 1,
});

const LEDGER_COLUMNS = "path, size, mtime_ms, content_hash, story_id, status, quiet";

export class FileLedger {
  constructor(
    private readonly sql: Sql,
    private readonly exists: (path: string) => boolean,
  ) {}

  /** The story `path` is the file of: bound to it, or a duplicate whose original file is gone (it moves here). */
  storyOf(path: string): BoundStory | undefined {
    const own = this.sql("SELECT rowid, id, content_hash, revision FROM stories WHERE path = ?").get(path) as
      | BoundStory
      | undefined;
    if (own) return own;
    const copyOf = this.sql("SELECT story_id FROM files WHERE path = ? AND status = 'duplicate'")
      .pluck()
      .get(path) as string | null | undefined;
    if (!copyOf) return undefined;
    const story = this.sql("SELECT rowid, id, path, content_hash, revision FROM stories WHERE id = ?").get(
      copyOf,
    ) as StoryAt | undefined;
    if (!story || isFeedKey(path) || this.present(story.path)) return undefined;
    this.move(story, path);
    return story;
  }

  /**
   * A stored story with this text, for a file bound to none: one whose file is gone is this file renamed
   * (`moved`: the story now belongs here); otherwise the file is a duplicate of the first.
   */
  twinOf(hash: string, path: string): { id: string; revision: number; moved: boolean } | undefined {
    const twins = this.sql(
      `SELECT rowid, id, path, content_hash, revision FROM stories WHERE content_hash = ? LIMIT ${TWINS}`,
    ).all(hash) as StoryAt[];
    const first = twins[0];
    if (!first) return undefined;
    // Only a file takes a story along; a feed item's key never does.
    const gone = !isFeedKey(path) ? twins.find((t) => t.path !== path && !this.present(t.path)) : undefined;
    if (gone) {
      this.move(gone, path);
      return { id: gone.id, revision: gone.revision, moved: true };
    }
    return { id: first.id, revision: first.revision, moved: false };
  }

  /**
   * Whether a key is quiet (never routed): a key keeps what it was when first stored; a key stored for the first
   * time (or only rejected before) is quiet when this save does not alert.
   */
  quiet(path: string, alert: boolean): boolean {
    const row = this.sql("SELECT status, quiet FROM files WHERE path = ?").get(path) as
      | { status: FileStatus; quiet: number }
      | undefined;
    return row && row.status !== "rejected" ? row.quiet === 1 : !alert;
  }

  /** Record what was stored for a file; a stored or moved file clears any rejection of that path. */
  record(
    file: FileFacts,
    hash: string,
    storyId: string,
    status: FileStatus,
    now: string,
    quiet: boolean,
  ): void {
    this.sql(
      `INSERT INTO files (path, size, mtime_ms, content_hash, story_id, status, seen_at, quiet) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms,
         content_hash = excluded.content_hash, story_id = excluded.story_id, status = excluded.status,
         seen_at = excluded.seen_at, quiet = excluded.quiet`,
    ).run(file.path, file.size, file.mtimeMs, hash, storyId, status, now, quiet ? 1 : 0);
    this.sql("DELETE FROM rejections WHERE path = ?").run(file.path);
  }

  /** Every file's ledger row (feed items excluded), keyed by path: one read per scan instead of one per file. */
  index(): Map<string, FileRecord> {
    const rows = this.sql(`SELECT ${LEDGER_COLUMNS} FROM files WHERE NOT (${FEED_KEY_SQL})`)
      .raw()
      .all() as LedgerRow[];
    return new Map(rows.map((row) => [row[0], toRecord(row)]));
  }

  /** The least and greatest file path (feed items excluded), null when there are none. */
  bounds(): [string, string] | null {
    const row = this.sql(`SELECT min(path), max(path) FROM files WHERE NOT (${FEED_KEY_SQL})`).raw().get() as
      | [string | null, string | null]
      | undefined;
    return row?.[0] != null && row[1] != null ? [row[0], row[1]] : null;
  }

  /**
   * The rows of these keys only, CHUNK keys per query. Each chunk is one JSON array parameter, so any number of
   * keys stays within SQLite's limit on bound parameters and the statement is prepared once.
   */
  records(paths: readonly string[]): Map<string, FileRecord> {
    const map = new Map<string, FileRecord>();
    const unique = [...new Set(paths)];
    const select = this.sql(
      `SELECT ${LEDGER_COLUMNS} FROM files WHERE path IN (SELECT value FROM json_each(?))`,
    ).raw();
    for (let i = 0; i < unique.length; i += CHUNK) {
      const rows = select.all(JSON.stringify(unique.slice(i, i + CHUNK))) as LedgerRow[];
      for (const row of rows) map.set(row[0], toRecord(row));
    }
    return map;
  }

  /** Inside the caller's transaction: the reason and the ledger row; `fresh` when the reason is new for the file. */
  reject(file: FileFacts, reason: RejectReason, detail: string, now: string): { fresh: boolean } {
    const prev = this.sql("SELECT reason FROM rejections WHERE path = ?").pluck().get(file.path) as
      | string
      | undefined;
    this.sql(
      `INSERT INTO rejections (path, reason, detail, size, mtime_ms, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(path) DO UPDATE SET reason = excluded.reason, detail = excluded.detail, size = excluded.size,
         mtime_ms = excluded.mtime_ms, last_seen = excluded.last_seen,
         first_seen = CASE WHEN rejections.reason = excluded.reason THEN rejections.first_seen ELSE excluded.first_seen END`,
    ).run(file.path, reason, detail, file.size, file.mtimeMs, now, now);
    this.sql(
      `INSERT INTO files (path, size, mtime_ms, content_hash, story_id, status, seen_at) VALUES (?, ?, ?, NULL, NULL, 'rejected', ?)
         ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, status = 'rejected', seen_at = excluded.seen_at`,
    ).run(file.path, file.size, file.mtimeMs, now);
    return { fresh: prev !== reason };
  }

  /** Whether the key's file is still there; a key that is not a file-system path (a feed item's) always is. */
  private present(path: string): boolean {
    return isFeedKey(path) || this.exists(path);
  }

  /** The story follows its file to `to`; the ledger row of the old path, whose file is gone, goes. */
  private move(story: StoryAt, to: string): void {
    this.sql("UPDATE stories SET path = ? WHERE rowid = ?").run(to, story.rowid);
    this.sql("DELETE FROM files WHERE path = ?").run(story.path);
  }
}
