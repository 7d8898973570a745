// The SQLite StoryStore (better-sqlite3, WAL): stories, revisions, tags, the file ledger and rejections.

import { createHash } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { Analysis, Article } from "../../core/article.js";
import { type Clock, isoNow, systemClock } from "../../core/clock.js";
import { CyberbriefError, errorMessage } from "../../core/errors.js";
import type { RejectReason } from "../../ingest/reader.js";
import type { Subscription, SubscriptionEvent, SubscriptionStore, TagKey } from "../subscriptions.js";
import type {
  FileFacts,
  FileRecord,
  Page,
  Rejection,
  SaveItem,
  SaveOutcome,
  ScanReport,
  StoreStats,
  StoryRecord,
  StoryStore,
  TagQuery,
} from "../types.js";
import { migrate } from "./migrations.js";
import { SqliteOutbox } from "./outbox.js";
import { type StoryRow, SUMMARY_COLUMNS, tagRows, toRecord, toSummary } from "./rows.js";
import { ftsQuery } from "./search.js";
import { statementCache } from "./statements.js";
import { SqliteSubscriptions } from "./subscriptions.js";

/** Search counts stop here: "1000+ stories" is as useful as an exact count and far cheaper. */
const SEARCH_COUNT_CAP = 1000;

export interface SqliteStoreOptions {
  clock?: Clock;
  readonly?: boolean;
}

export function openDatabase(path: string, readonly = false): Database.Database {
  let db: Database.Database;
  try {
    if (path !== ":memory:" && !readonly && !existsSync(dirname(path)))
      mkdirSync(dirname(path), { recursive: true });
    db = new Database(path, { readonly, fileMustExist: readonly });
  } catch (err) {
    throw new CyberbriefError(
      "store/open",
      `cannot open the database ${path}: ${errorMessage(err)} (set CYBERBRIEF_DB or --db to a writable file)`,
      { cause: err },
    );
  }
  db.pragma("busy_timeout = 5000");
  if (!readonly) {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    // A bigger page cache keeps the FTS and tag indexes in memory during large ingests (64 MB).
    db.pragma("cache_size = -65536");
    db.pragma("temp_store = MEMORY");
    db.pragma("foreign_keys = ON");
  }
  return db;
}

export class SqliteStoryStore implements StoryStore, SubscriptionStore {
  readonly db: Database.Database;
  protected readonly sql: (text: string) => Database.Statement;
  private readonly clock: Clock;
  /** The delivery outbox on the same database, for the dispatcher; routing fills it as stories are saved. */
  readonly outbox: SqliteOutbox;
  private readonly subs: SqliteSubscriptions;

  constructor(path: string, opts: SqliteStoreOptions = {}) {
    this.db = openDatabase(path, opts.readonly);
    this.sql = statementCache(this.db);
    this.clock = opts.clock ?? systemClock;
    if (!opts.readonly) migrate(this.db);
    this.outbox = new SqliteOutbox(this.db, this.clock);
    this.subs = new SqliteSubscriptions(this.db, this.clock);
  }

  subscribe(
    channelRef: string,
    tag: TagKey,
    user: string,
  ): Promise<{ created: boolean; reenabled?: boolean }> {
    return this.subs.subscribe(channelRef, tag, user);
  }

  unsubscribe(channelRef: string, tag: TagKey, user: string): Promise<{ removed: boolean }> {
    return this.subs.unsubscribe(channelRef, tag, user);
  }

  subscriptions(channelRef: string): Promise<Subscription[]> {
    return this.subs.subscriptions(channelRef);
  }

  /** Switched-off subscriptions of every channel, with their reasons. */
  disabledSubscriptions(): Promise<Subscription[]> {
    return this.subs.disabled();
  }

  /** The channel's subscribe/unsubscribe/disable audit trail, oldest first. */
  subscriptionHistory(channelRef: string): Promise<SubscriptionEvent[]> {
    return this.subs.history(channelRef);
  }

  async fileIndex(): Promise<Map<string, FileRecord>> {
    const rows = this.sql("SELECT path, size, mtime_ms, content_hash, story_id, status FROM files")
      .raw()
      .all() as Array<[string, number, number, string | null, string | null, FileRecord["status"]]>;
    const map = new Map<string, FileRecord>();
    for (const [path, size, mtimeMs, contentHash, storyId, status] of rows) {
      map.set(path, { path, size, mtimeMs, contentHash, storyId, status });
    }
    return map;
  }

  async saveArticles(items: SaveItem[]): Promise<SaveOutcome[]> {
    // One transaction for the batch: a commit costs far more than the rows in it.
    return this.db
      .transaction(() => items.map((it) => this.saveInTx(it.article, it.analysis, it.file)))
      .immediate();
  }

  async saveArticle(article: Article, analysis: Analysis, file: FileFacts): Promise<SaveOutcome> {
    return this.db.transaction(() => this.saveInTx(article, analysis, file)).immediate();
  }

  /** Runs inside the caller's transaction; subclasses extend it to route alerts atomically. */
  protected saveInTx(article: Article, analysis: Analysis, file: FileFacts): SaveOutcome {
    const now = isoNow(this.clock);
    const own = this.sql("SELECT rowid, id, content_hash, revision FROM stories WHERE path = ?").get(
      article.path,
    ) as { rowid: number; id: string; content_hash: string; revision: number } | undefined;
    let outcome: SaveOutcome;
    if (own && own.content_hash === article.contentHash) {
      outcome = { kind: "unchanged", storyId: own.id, revision: own.revision };
    } else if (own) {
      this.sql(
        `INSERT OR IGNORE INTO story_revisions (story_rowid, revision, content_hash, title, body, summary, saved_at)
           SELECT rowid, revision, content_hash, title, body, summary, updated_at FROM stories WHERE rowid = ?`,
      ).run(own.rowid);
      this.sql(
        `UPDATE stories SET content_hash = ?, revision = revision + 1, date = ?, date_estimated = ?, title = ?,
           body = ?, summary = ?, url = ?, source = ?, tags_json = ?, updated_at = ? WHERE rowid = ?`,
      ).run(...this.storyValues(article, analysis), now, own.rowid);
      this.writeTags(own.rowid, article, analysis);
      outcome = { kind: "revised", storyId: own.id, revision: own.revision + 1 };
      this.onStored(own.rowid, outcome);
    } else {
      const twin = this.sql("SELECT id, revision FROM stories WHERE content_hash = ? LIMIT 1").get(
        article.contentHash,
      ) as { id: string; revision: number } | undefined;
      if (twin) {
        outcome = { kind: "duplicate", storyId: twin.id, revision: twin.revision };
      } else {
        const id = this.newId(article);
        const info = this.sql(
          `INSERT INTO stories (id, path, content_hash, revision, date, date_estimated, title, body, summary,
             url, source, tags_json, ingested_at, updated_at) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          id,
          article.path,
          article.contentHash,
          ...this.storyValues(article, analysis).slice(1),
          now,
          now,
        );
        const rowid = Number(info.lastInsertRowid);
        this.writeTags(rowid, article, analysis, true);
        outcome = { kind: "new", storyId: id, revision: 1 };
        this.onStored(rowid, outcome);
      }
    }
    this.sql(
      `INSERT INTO files (path, size, mtime_ms, content_hash, story_id, status, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms,
         content_hash = excluded.content_hash, story_id = excluded.story_id, status = excluded.status, seen_at = excluded.seen_at`,
    ).run(
      file.path,
      file.size,
      file.mtimeMs,
      article.contentHash,
      outcome.storyId,
      outcome.kind === "duplicate" ? "duplicate" : "stored",
      now,
    );
    this.sql("DELETE FROM rejections WHERE path = ?").run(file.path);
    return outcome;
  }

  /** Inside the save transaction for new and revised stories: routing commits or rolls back with the story. */
  protected onStored(rowid: number, outcome: SaveOutcome): void {
    this.outbox.route(rowid);
    // Channels that already got the story see the revision as an edit of their alert.
    if (outcome.kind === "revised") this.outbox.queueUpdates(rowid);
  }

  private storyValues(article: Article, analysis: Analysis) {
    const tags = JSON.stringify({ actors: analysis.actors, countries: analysis.countries });
    return [
      article.contentHash,
      article.date,
      article.dateEstimated ? 1 : 0,
      article.title,
      article.body,
      analysis.summary,
      article.url,
      article.source,
      tags,
    ] as const;
  }

  private writeTags(rowid: number, article: Article, analysis: Analysis, fresh = false): void {
    if (!fresh) this.sql("DELETE FROM story_tags WHERE story_rowid = ?").run(rowid);
    const insert = this.sql(
      "INSERT OR IGNORE INTO story_tags (story_rowid, kind, value, role, matched_json, date) VALUES (?, ?, ?, ?, ?, ?)",
    );
    for (const t of tagRows(analysis.actors, analysis.countries)) {
      insert.run(rowid, t.kind, t.value, t.role, t.matched, article.date);
    }
  }

  private newId(article: Article): string {
    const hash = createHash("sha256")
      .update(article.path)
      .update("\0")
      .update(article.contentHash)
      .digest("hex");
    const exists = this.sql("SELECT 1 FROM stories WHERE id = ?");
    for (let len = 8; len < hash.length; len += 2) {
      const id = hash.slice(0, len);
      if (!exists.get(id)) return id;
    }
    return hash;
  }

  async recordRejection(file: FileFacts, reason: RejectReason, detail: string): Promise<{ fresh: boolean }> {
    const now = isoNow(this.clock);
    return this.db
      .transaction(() => {
        const prev = this.sql("SELECT reason FROM rejections WHERE path = ?").get(file.path) as
          | { reason: string }
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
        return { fresh: prev?.reason !== reason };
      })
      .immediate();
  }

  async rejections(): Promise<Rejection[]> {
    const rows = this.sql(
      `SELECT path, size, mtime_ms AS mtimeMs, reason, detail, first_seen AS firstSeen, last_seen AS lastSeen
       FROM rejections ORDER BY path`,
    ).all() as Rejection[];
    return rows;
  }

  async recordScan(r: ScanReport): Promise<void> {
    this.sql(
      "INSERT INTO scans (started_at, finished_at, new, updated, unchanged, duplicate, rejected) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ).run(r.startedAt, r.finishedAt, r.new, r.updated, r.unchanged, r.duplicate, r.rejected);
    this.sql("DELETE FROM scans WHERE id <= (SELECT max(id) - 100 FROM scans)").run();
  }

  async stats(): Promise<StoreStats> {
    const count = (sql: string) => (this.sql(sql).pluck().get() as number) ?? 0;
    const last = this.sql(
      `SELECT started_at AS startedAt, finished_at AS finishedAt, new, updated, unchanged, duplicate, rejected
       FROM scans ORDER BY id DESC LIMIT 1`,
    ).get() as ScanReport | undefined;
    return {
      stories: count("SELECT count(*) FROM stories"),
      revisions: count("SELECT coalesce(sum(revision - 1), 0) FROM stories"),
      files: count("SELECT count(*) FROM files"),
      rejected: count("SELECT count(*) FROM rejections"),
      lastScan: last ?? null,
    };
  }

  async getStory(idOrPrefix: string): Promise<StoryRecord | undefined> {
    const key = idOrPrefix.trim().toLowerCase();
    if (!/^[0-9a-f]{4,64}$/.test(key)) return undefined;
    const rows = this.sql(
      "SELECT s.*, s.rowid FROM stories s WHERE s.id >= ? AND s.id < ? ORDER BY s.id LIMIT 2",
    ).all(key, `${key}g`) as StoryRow[];
    const exact = rows.find((r) => r.id === key);
    if (exact) return toRecord(exact);
    return rows.length === 1 && rows[0] ? toRecord(rows[0]) : undefined;
  }

  async latest(limit: number, offset = 0): Promise<Page> {
    const rows = this.sql(
      `SELECT ${SUMMARY_COLUMNS} FROM stories s ORDER BY s.date DESC, s.rowid DESC LIMIT ? OFFSET ?`,
    ).all(limit, offset) as StoryRow[];
    const total = this.sql("SELECT count(*) FROM stories").pluck().get() as number;
    return { stories: rows.map(toSummary), total };
  }

  async byTag(tag: TagQuery, limit: number): Promise<Page> {
    const [kind, value, role] =
      tag.kind === "actor" ? ["actor", tag.id, ""] : ["country", tag.code.toUpperCase(), tag.role ?? ""];
    const rows = this.sql(
      `SELECT ${SUMMARY_COLUMNS} FROM story_tags t JOIN stories s ON s.rowid = t.story_rowid
         WHERE t.kind = ? AND t.value = ? AND t.role = ? ORDER BY t.date DESC, t.story_rowid DESC LIMIT ?`,
    ).all(kind, value, role, limit) as StoryRow[];
    const total = this.sql("SELECT count(*) FROM story_tags WHERE kind = ? AND value = ? AND role = ?")
      .pluck()
      .get(kind, value, role) as number;
    return { stories: rows.map(toSummary), total };
  }

  async search(terms: string[], limit: number): Promise<Page> {
    const match = ftsQuery(terms);
    if (!match) return { stories: [], total: 0 };
    // Newest stored first straight from the index (rowid order), so a common word never sorts every match.
    const rows = this.sql(
      `SELECT ${SUMMARY_COLUMNS} FROM stories s WHERE s.rowid IN
         (SELECT rowid FROM stories_fts WHERE stories_fts MATCH ? ORDER BY rowid DESC LIMIT ?)
       ORDER BY s.rowid DESC`,
    ).all(match, limit) as StoryRow[];
    const total = this.sql(
      `SELECT count(*) FROM (SELECT rowid FROM stories_fts WHERE stories_fts MATCH ? LIMIT ${SEARCH_COUNT_CAP + 1})`,
    )
      .pluck()
      .get(match) as number;
    return {
      stories: rows.map(toSummary),
      total: Math.min(total, SEARCH_COUNT_CAP),
      ...(total > SEARCH_COUNT_CAP ? { capped: true } : {}),
    };
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
