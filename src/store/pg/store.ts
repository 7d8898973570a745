// The PostgreSQL story store (the `pg` client): stories, revisions, tags, full-text search, the file ledger,
// rejections, scans and subscriptions, on a schema that `migratePg` creates or upgrades. Not selectable by users
// yet: the outbox, feeds, export and event merging are still to come (issue 17).

import type pg from "pg";
import type { Analysis, Article } from "../../core/article.js";
import { type Clock, isoNow, systemClock } from "../../core/clock.js";
import type { DigestSchedule } from "../../core/digest.js";
import type { RejectReason } from "../../core/reject.js";
import type { FileFacts, FileRecord, SaveItem, SaveOutcome, ScanReport } from "../../core/story.js";
import { keywordOf, type TagKey } from "../../core/tags.js";
import { LEADS_ONLY, type StoryRow, SUMMARY_COLUMNS, tagRowOf, toRecord, toSummary } from "../sqlite/rows.js";
import type {
  SubscribeResult,
  Subscription,
  SubscriptionEvent,
  SubscriptionStore,
} from "../subscriptions.js";
import type {
  Page,
  Rejection,
  StoreHealth,
  StoreStats,
  StoryRecord,
  StoryStore,
  TagQuery,
} from "../types.js";
import { FEED_KEY_PG, PgFileLedger } from "./ledger.js";
import { migratePg } from "./migrations.js";
import { inTransaction, openPool, type PgOptions } from "./open.js";
import { PgStorySaver } from "./save.js";
import { hasPhrase, searchPagePg } from "./search.js";
import { PgSubscriptions } from "./subscriptions.js";

/** The advisory lock saves take ("cybs"): saves run one at a time, as SQLite's immediate transactions do. */
export const SAVE_LOCK = 0x63796273;

/** What of StoryStore this store has today; saves take no onSaved (no outbox here yet). */
export type PgStories = Omit<
  StoryStore,
  "saveArticle" | "saveArticles" | "exportEvents" | "storyReasons" | "deliveriesOf"
> & {
  saveArticle(article: Article, analysis: Analysis, file: FileFacts): Promise<SaveOutcome>;
  saveArticles(items: SaveItem[]): Promise<SaveOutcome[]>;
};

export interface PgStoreOptions extends PgOptions {
  clock?: Clock;
  /** Whether an article file still exists (a duplicate of a story whose file is gone takes the story along). */
  fileExists?: (path: string) => boolean;
}

export class PgStoryStore implements PgStories, SubscriptionStore {
  private readonly ledger: PgFileLedger;
  private readonly saver: PgStorySaver;
  private readonly subs: PgSubscriptions;
  private closed = false;

  private constructor(
    /** The pool, for this folder's helpers and tests; nothing outside src/store/pg/ touches it. */
    readonly pool: pg.Pool,
    private readonly clock: Clock,
    fileExists: (path: string) => boolean,
  ) {
    this.ledger = new PgFileLedger(fileExists);
    this.saver = new PgStorySaver(clock, this.ledger);
    this.subs = new PgSubscriptions(pool, clock);
  }

  /** Connects to `url` and brings its schema up to date. */
  static async open(url: string, opts: PgStoreOptions = {}): Promise<PgStoryStore> {
    const pool = await openPool(url, opts);
    try {
      await migratePg(pool);
    } catch (err) {
      await pool.end();
      throw err;
    }
    return new PgStoryStore(pool, opts.clock ?? systemClock, opts.fileExists ?? (() => true));
  }

  subscribe(
    channelRef: string,
    tag: TagKey,
    user: string,
    digest?: DigestSchedule | null,
  ): Promise<SubscribeResult> {
    return this.subs.subscribe(channelRef, tag, user, digest);
  }

  unsubscribe(channelRef: string, tag: TagKey, user: string): Promise<{ removed: boolean }> {
    return this.subs.unsubscribe(channelRef, tag, user);
  }

  subscriptions(channelRef: string): Promise<Subscription[]> {
    return this.subs.subscriptions(channelRef);
  }

  disabledSubscriptions(): Promise<Subscription[]> {
    return this.subs.disabledSubscriptions();
  }

  subscriptionHistory(channelRef: string): Promise<SubscriptionEvent[]> {
    return this.subs.subscriptionHistory(channelRef);
  }

  fileIndex(): Promise<Map<string, FileRecord>> {
    return this.ledger.index(this.pool);
  }

  fileRecords(paths: readonly string[]): Promise<Map<string, FileRecord>> {
    return this.ledger.records(this.pool, paths);
  }

  /** Several saves in one transaction, in order; outcomes in the same order. */
  saveArticles(items: SaveItem[]): Promise<SaveOutcome[]> {
    return inTransaction(this.pool, async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock($1)", [SAVE_LOCK]);
      const outcomes: SaveOutcome[] = [];
      for (const it of items)
        outcomes.push(await this.saver.save(tx, it.article, it.analysis, it.file, it.alert !== false));
      return outcomes;
    });
  }

  async saveArticle(article: Article, analysis: Analysis, file: FileFacts): Promise<SaveOutcome> {
    const [outcome] = await this.saveArticles([{ article, analysis, file }]);
    return outcome as SaveOutcome;
  }

  recordRejection(file: FileFacts, reason: RejectReason, detail: string): Promise<{ fresh: boolean }> {
    const now = isoNow(this.clock);
    return inTransaction(this.pool, async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock($1)", [SAVE_LOCK]);
      return this.ledger.reject(tx, file, reason, detail, now);
    });
  }

  async rejections(): Promise<Rejection[]> {
    const rows = await this.pool.query<Rejection>(
      `SELECT path, size, mtime_ms AS "mtimeMs", reason, detail, first_seen AS "firstSeen", last_seen AS "lastSeen"
       FROM rejections ORDER BY path COLLATE "C"`,
    );
    return rows.rows;
  }

  async recordScan(r: ScanReport): Promise<void> {
    await inTransaction(this.pool, async (tx) => {
      await tx.query(
        `INSERT INTO scans (started_at, finished_at, new, updated, unchanged, duplicate, rejected)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [r.startedAt, r.finishedAt, r.new, r.updated, r.unchanged, r.duplicate, r.rejected],
      );
      await tx.query("DELETE FROM scans WHERE id <= (SELECT max(id) - 100 FROM scans)");
    });
  }

  async stats(): Promise<StoreStats> {
    const counts = await this.pool.query<Record<string, number>>(
      `SELECT (SELECT count(*) FROM stories)::int AS stories,
         (SELECT count(*) FROM story_revisions)::int AS revisions,
         (SELECT count(*) FROM files WHERE NOT (${FEED_KEY_PG}))::int AS files,
         (SELECT count(*) FROM rejections)::int AS rejected,
         (SELECT count(*) FROM feeds)::int AS feeds,
         (SELECT count(*) FROM files WHERE ${FEED_KEY_PG})::int AS "feedItems"`,
    );
    const last = await this.pool.query<ScanReport>(
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

  async getStory(idOrPrefix: string): Promise<StoryRecord | undefined> {
    const key = idOrPrefix.trim().toLowerCase();
    if (!/^[0-9a-f]{4,64}$/.test(key)) return undefined;
    const found = await this.pool.query<StoryRow>(
      `SELECT s.* FROM stories s WHERE s.id COLLATE "C" >= $1 AND s.id COLLATE "C" < $2
       ORDER BY s.id COLLATE "C" LIMIT 2`,
      [key, `${key}g`],
    );
    const rows = found.rows;
    const exact = rows.find((r) => r.id === key);
    if (exact) return toRecord(exact);
    return rows.length === 1 && rows[0] ? toRecord(rows[0]) : undefined;
  }

  async latest(limit: number, offset = 0): Promise<Page> {
    const rows = await this.pool.query<StoryRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM stories s WHERE ${LEADS_ONLY}
       ORDER BY s.date DESC, s.rowid DESC LIMIT $1 OFFSET $2`,
      [limit, offset],
    );
    const total = await this.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM stories s WHERE ${LEADS_ONLY}`,
    );
    return { stories: rows.rows.map(toSummary), total: total.rows[0]?.n ?? 0 };
  }

  async byTag(tag: TagQuery, limit: number): Promise<Page> {
    const [kind, value, role] = tagRowOf(tag);
    const rows = await this.pool.query<StoryRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM story_tags t JOIN stories s ON s.rowid = t.story_rowid
       WHERE t.kind = $1 AND t.value = $2 AND t.role = $3 AND t.shown = 1
       ORDER BY t.date DESC, t.story_rowid DESC LIMIT $4`,
      [kind, value, role, limit],
    );
    const total = await this.pool.query<{ stories: number }>(
      "SELECT stories FROM tag_counts WHERE kind = $1 AND value = $2 AND role = $3",
      [kind, value, role],
    );
    return { stories: rows.rows.map(toSummary), total: total.rows[0]?.stories ?? 0 };
  }

  search(terms: string[], limit: number): Promise<Page> {
    return searchPagePg(this.pool, terms, limit, 0);
  }

  async keywordsIn(storyId: string, keys: readonly TagKey[]): Promise<TagKey[]> {
    const found = await this.pool.query<{ rowid: number }>("SELECT rowid FROM stories WHERE id = $1", [
      storyId,
    ]);
    const rowid = found.rows[0]?.rowid;
    if (rowid === undefined) return [];
    const out: TagKey[] = [];
    for (const key of keys) if (await hasPhrase(this.pool, rowid, keywordOf(key) ?? "")) out.push(key);
    return out;
  }

  async health(): Promise<StoreHealth> {
    if (this.closed) return { ok: false, detail: "the database is closed" };
    try {
      await this.pool.query("SELECT 1");
      return { ok: true };
    } catch (err) {
      return { ok: false, detail: `PostgreSQL does not answer: ${(err as Error).message}` };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
