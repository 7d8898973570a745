// The file ledger's path rules: which story a file belongs to, and a renamed file taking its story along.
//
// A story is bound to one file (`stories.path`). Another file with the same text is a duplicate of it. When
// the bound file no longer exists, the duplicate is that file renamed (or copied, then the original removed):
// the story moves to the new path, so later edits of it are revisions, not a second story. While the
// original still exists the other file is a copy: editing the copy makes a story of its own (it now says
// something else), and editing the original revises the story as before.

import type Database from "better-sqlite3";
import type { RejectReason } from "../../core/reject.js";
import type { FileFacts, FileRecord, FileStatus } from "../../core/story.js";

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
    if (!story || this.exists(story.path)) return undefined;
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
    const gone = twins.find((t) => t.path !== path && !this.exists(t.path));
    if (gone) {
      this.move(gone, path);
      return { id: gone.id, revision: gone.revision, moved: true };
    }
    return { id: first.id, revision: first.revision, moved: false };
  }

  /** Record what was stored for a file; a stored or moved file clears any rejection of that path. */
  record(file: FileFacts, hash: string, storyId: string, status: FileStatus, now: string): void {
    this.sql(
      `INSERT INTO files (path, size, mtime_ms, content_hash, story_id, status, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms,
         content_hash = excluded.content_hash, story_id = excluded.story_id, status = excluded.status, seen_at = excluded.seen_at`,
    ).run(file.path, file.size, file.mtimeMs, hash, storyId, status, now);
    this.sql("DELETE FROM rejections WHERE path = ?").run(file.path);
  }

  /** Every ledger row, keyed by path: one read per scan instead of one per file. */
  index(): Map<string, FileRecord> {
    const rows = this.sql("SELECT path, size, mtime_ms, content_hash, story_id, status FROM files")
      .raw()
      .all() as Array<[string, number, number, string | null, string | null, FileStatus]>;
    const map = new Map<string, FileRecord>();
    for (const [path, size, mtimeMs, contentHash, storyId, status] of rows) {
      map.set(path, { path, size, mtimeMs, contentHash, storyId, status });
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

  /** The story follows its file to `to`; the ledger row of the old path, whose file is gone, goes. */
  private move(story: StoryAt, to: string): void {
    this.sql("UPDATE stories SET path = ? WHERE rowid = ?").run(to, story.rowid);
    this.sql("DELETE FROM files WHERE path = ?").run(story.path);
  }
}
