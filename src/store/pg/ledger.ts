// The file ledger on PostgreSQL: the same path rules as store/sqlite/ledger.ts (a story bound to one file, a
// duplicate, a renamed file taking its story along, feed item keys that never move), run in the caller's
// transaction.

import type { RejectReason } from "../../core/reject.js";
import { type FileFacts, type FileRecord, type FileStatus, isFeedKey } from "../../core/story.js";
import type { BoundStory } from "../sqlite/ledger.js";
import type { Tx } from "./open.js";

interface StoryAt extends BoundStory {
  path: string;
}

/** How many stories with the same text are looked at for a renamed file, as in SQLite. */
const TWINS = 8;

/** Ledger keys of feed items (core/story.ts isFeedKey): a URL, never a file path. */
export const FEED_KEY_PG = "path ~ '^[a-zA-Z][a-zA-Z0-9+.-]*://'";

interface LedgerRow {
  path: string;
  size: number;
  mtime_ms: number;
  content_hash: string | null;
  story_id: string | null;
  status: FileStatus;
  quiet: number;
}

const toRecord = (r: LedgerRow): FileRecord => ({
  path: r.path,
  size: r.size,
  mtimeMs: r.mtime_ms,
  contentHash: r.content_hash,
  storyId: r.story_id,
  status: r.status,
  quiet: r.quiet === 1,
});

const LEDGER_COLUMNS = "path, size, mtime_ms, content_hash, story_id, status, quiet";

export class PgFileLedger {
  constructor(private readonly exists: (path: string) => boolean) {}

  /** The story `path` is the file of: bound to it, or a duplicate whose original file is gone (it moves here). */
  async storyOf(tx: Tx, path: string): Promise<BoundStory | undefined> {
    const own = await tx.query<BoundStory>(
      "SELECT rowid, id, content_hash, revision FROM stories WHERE path = $1",
      [path],
    );
    if (own.rows[0]) return own.rows[0];
    const copy = await tx.query<{ story_id: string | null }>(
      "SELECT story_id FROM files WHERE path = $1 AND status = 'duplicate'",
      [path],
    );
    const copyOf = copy.rows[0]?.story_id;
    if (!copyOf) return undefined;
    const found = await tx.query<StoryAt>(
      "SELECT rowid, id, path, content_hash, revision FROM stories WHERE id = $1",
      [copyOf],
    );
    const story = found.rows[0];
    if (!story || isFeedKey(path) || this.present(story.path)) return undefined;
    await this.move(tx, story, path);
    return story;
  }

  /** A stored story with this text, for a file bound to none (`moved`: its file was gone, it belongs here now). */
  async twinOf(
    tx: Tx,
    hash: string,
    path: string,
  ): Promise<{ id: string; revision: number; moved: boolean } | undefined> {
    const twins = (
      await tx.query<StoryAt>(
        `SELECT rowid, id, path, content_hash, revision FROM stories WHERE content_hash = $1
         ORDER BY rowid LIMIT ${TWINS}`,
        [hash],
      )
    ).rows;
    const first = twins[0];
    if (!first) return undefined;
    const gone = !isFeedKey(path) ? twins.find((t) => t.path !== path && !this.present(t.path)) : undefined;
    if (gone) {
      await this.move(tx, gone, path);
      return { id: gone.id, revision: gone.revision, moved: true };
    }
    return { id: first.id, revision: first.revision, moved: false };
  }

  /** Whether a key is quiet (never routed): it keeps what it was when first stored. */
  async quiet(tx: Tx, path: string, alert: boolean): Promise<boolean> {
    const row = (
      await tx.query<{ status: FileStatus; quiet: number }>(
        "SELECT status, quiet FROM files WHERE path = $1",
        [path],
      )
    ).rows[0];
    return row && row.status !== "rejected" ? row.quiet === 1 : !alert;
  }

  /** Record what was stored for a file; a stored or moved file clears any rejection of that path. */
  async record(
    tx: Tx,
    file: FileFacts,
    hash: string,
    storyId: string,
    status: FileStatus,
    now: string,
    quiet: boolean,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO files (path, size, mtime_ms, content_hash, story_id, status, seen_at, quiet)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms,
         content_hash = excluded.content_hash, story_id = excluded.story_id, status = excluded.status,
         seen_at = excluded.seen_at, quiet = excluded.quiet`,
      [file.path, file.size, file.mtimeMs, hash, storyId, status, now, quiet ? 1 : 0],
    );
    await tx.query("DELETE FROM rejections WHERE path = $1", [file.path]);
  }

  /** Every file's ledger row (feed items excluded), keyed by path. */
  async index(db: Tx): Promise<Map<string, FileRecord>> {
    const rows = await db.query<LedgerRow>(`SELECT ${LEDGER_COLUMNS} FROM files WHERE NOT (${FEED_KEY_PG})`);
    return new Map(rows.rows.map((r) => [r.path, toRecord(r)]));
  }

  /** The least and greatest file path (feed items excluded; byte order, as SQLite sorts), null when none. */
  async bounds(db: Tx): Promise<[string, string] | null> {
    const r = await db.query<{ first: string | null; last: string | null }>(
      `SELECT min(path COLLATE "C") AS first, max(path COLLATE "C") AS last FROM files WHERE NOT (${FEED_KEY_PG})`,
    );
    const row = r.rows[0];
    return row?.first != null && row.last != null ? [row.first, row.last] : null;
  }

  /** The rows of these keys only, in one query (an array parameter has no size limit to work around). */
  async records(db: Tx, paths: readonly string[]): Promise<Map<string, FileRecord>> {
    if (paths.length === 0) return new Map();
    const rows = await db.query<LedgerRow>(
      `SELECT ${LEDGER_COLUMNS} FROM files WHERE path = ANY($1::text[])`,
      [[...new Set(paths)]],
    );
    return new Map(rows.rows.map((r) => [r.path, toRecord(r)]));
  }

  /** Inside the caller's transaction: the reason and the ledger row; `fresh` when the reason is new for the file. */
  async reject(
    tx: Tx,
    file: FileFacts,
    reason: RejectReason,
    detail: string,
    now: string,
  ): Promise<{ fresh: boolean }> {
    const prev = await tx.query<{ reason: string }>("SELECT reason FROM rejections WHERE path = $1", [
      file.path,
    ]);
    await tx.query(
      `INSERT INTO rejections (path, reason, detail, size, mtime_ms, first_seen, last_seen)
       VALUES ($1, $2, $3, $4, $5, $6, $6)
       ON CONFLICT (path) DO UPDATE SET reason = excluded.reason, detail = excluded.detail, size = excluded.size,
         mtime_ms = excluded.mtime_ms, last_seen = excluded.last_seen,
         first_seen = CASE WHEN rejections.reason = excluded.reason THEN rejections.first_seen
           ELSE excluded.first_seen END`,
      [file.path, reason, detail, file.size, file.mtimeMs, now],
    );
    await tx.query(
      `INSERT INTO files (path, size, mtime_ms, content_hash, story_id, status, seen_at)
       VALUES ($1, $2, $3, NULL, NULL, 'rejected', $4)
       ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, status = 'rejected',
         seen_at = excluded.seen_at`,
      [file.path, file.size, file.mtimeMs, now],
    );
    return { fresh: prev.rows[0]?.reason !== reason };
  }

  private present(path: string): boolean {
    return isFeedKey(path) || this.exists(path);
  }

  private async move(tx: Tx, story: StoryAt, to: string): Promise<void> {
    await tx.query("UPDATE stories SET path = $1 WHERE rowid = $2", [to, story.rowid]);
    await tx.query("DELETE FROM files WHERE path = $1", [story.path]);
  }
}
