// The PostgreSQL story store (the `pg` client): stories, revisions, tags, full-text search, the file ledger,
// rejections, scans, subscriptions and feeds, on a schema that `migratePg` creates or upgrades. Not selectable by users
// yet: the outbox and event merging are still to come (issue 17).

import type pg from "pg";
import type { Analysis, Article } from "../../core/article.js";
import { type Clock, isoNow, systemClock } from "../../core/clock.js";
import type { DigestSchedule } from "../../core/digest.js";
import type { Feed, FeedOrigin, FeedSpec, FeedState, FeedStore } from "../../core/feeds.js";
import type { RejectReason } from "../../core/reject.js";
import type { FileFacts, FileRecord, SaveItem, SaveOutcome, ScanReport } from "../../core/story.js";
import { keywordOf, type TagKey } from "../../core/tags.js";
import type {
  SubscribeResult,
  Subscription,
  SubscriptionEvent,
  SubscriptionStore,
} from "../subscriptions.js";
import type {
  ExportedEvent,
  ExportQuery,
  Page,
  Rejection,
  StoreHealth,
  StoreStats,
  StoryReasons,
  StoryRecord,
  StoryStore,
  TagQuery,
} from "../types.js";
import { exportEventsPg, storyReasonsPg } from "./export.js";
import { PgFeeds } from "./feeds.js";
import { PgFileLedger } from "./ledger.js";
import { migratePg } from "./migrations.js";
import { inTransaction, openPool, type PgOptions } from "./open.js";
import * as reads from "./reads.js";
import type { Fence } from "./replica.js";
import { PgStorySaver } from "./save.js";
import { hasPhrase, searchPagePg } from "./search.js";
import { PgSubscriptions } from "./subscriptions.js";

/** The advisory lock saves take ("cybs"): saves run one at a time, as SQLite's immediate transactions do. */
export const SAVE_LOCK = 0x63796273;

/** What of StoryStore this store has today; saves take no onSaved (no outbox here yet). */
export type PgStories = Omit<StoryStore, "saveArticle" | "saveArticles" | "deliveriesOf"> & {
  saveArticle(article: Article, analysis: Analysis, file: FileFacts): Promise<SaveOutcome>;
  saveArticles(items: SaveItem[]): Promise<SaveOutcome[]>;
};

export interface PgStoreOptions extends PgOptions {
  clock?: Clock;
  /** Whether an article file still exists (a duplicate of a story whose file is gone takes the story along). */
  fileExists?: (path: string) => boolean;
}

export class PgStoryStore implements PgStories, SubscriptionStore, FeedStore {
  private readonly ledger: PgFileLedger;
  private readonly saver: PgStorySaver;
  private readonly subs: PgSubscriptions;
  private readonly feeds: PgFeeds;
  private closed = false;
  /** Checked first in every scheduler write's transaction when set (replica.ts): saves, rejections, scans, feed state. */
  fence: Fence | null = null;

  private constructor(
    /** The pool, for this folder's helpers and tests; nothing outside src/store/pg/ touches it. */
    readonly pool: pg.Pool,
    private readonly clock: Clock,
    fileExists: (path: string) => boolean,
  ) {
    this.ledger = new PgFileLedger(fileExists);
    this.saver = new PgStorySaver(clock, this.ledger);
    this.subs = new PgSubscriptions(pool, clock);
    this.feeds = new PgFeeds(pool, clock);
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

  addFeed(spec: FeedSpec, origin: FeedOrigin, addedBy: string): Promise<{ feed: Feed; created: boolean }> {
    return this.feeds.addFeed(spec, origin, addedBy);
  }

  listFeeds(): Promise<Feed[]> {
    return this.feeds.listFeeds();
  }

  getFeed(idOrUrl: string): Promise<Feed | undefined> {
    return this.feeds.getFeed(idOrUrl);
  }

  removeFeed(id: number): Promise<boolean> {
    return this.feeds.removeFeed(id);
  }

  unfollowFeed(id: number, channelRef: string): Promise<{ unfollowed: boolean; removed: boolean }> {
    return this.feeds.unfollowFeed(id, channelRef);
  }

  updateFeed(id: number, state: Partial<FeedState>): Promise<void> {
    return this.feeds.updateFeed(id, state, this.fence);
  }

  syncConfigFeeds(specs: FeedSpec[]): Promise<{ added: number; updated: number; removed: number }> {
    return this.feeds.syncConfigFeeds(specs);
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
      await this.fence?.(tx);
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
      await this.fence?.(tx);
      return this.ledger.reject(tx, file, reason, detail, now);
    });
  }

  async recordScan(r: ScanReport): Promise<void> {
    await inTransaction(this.pool, async (tx) => {
      await this.fence?.(tx);
      await tx.query(
        `INSERT INTO scans (started_at, finished_at, new, updated, unchanged, duplicate, rejected)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [r.startedAt, r.finishedAt, r.new, r.updated, r.unchanged, r.duplicate, r.rejected],
      );
      await tx.query("DELETE FROM scans WHERE id <= (SELECT max(id) - 100 FROM scans)");
    });
  }

  rejections(): Promise<Rejection[]> {
    return reads.rejections(this.pool);
  }

  stats(): Promise<StoreStats> {
    return reads.stats(this.pool);
  }

  getStory(idOrPrefix: string): Promise<StoryRecord | undefined> {
    return reads.getStory(this.pool, idOrPrefix);
  }

  latest(limit: number, offset = 0): Promise<Page> {
    return reads.latest(this.pool, limit, offset);
  }

  byTag(tag: TagQuery, limit: number): Promise<Page> {
    return reads.byTag(this.pool, tag, limit);
  }

  exportEvents(query?: ExportQuery): AsyncIterable<ExportedEvent> {
    return exportEventsPg(this.pool, query);
  }

  async storyReasons(idOrPrefix: string): Promise<StoryReasons | undefined> {
    const story = await this.getStory(idOrPrefix);
    return story && storyReasonsPg(this.pool, story);
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
