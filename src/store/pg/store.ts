// The PostgreSQL story store (the `pg` client): stories merged into events, revisions, tags, full-text search,
// the file ledger, rejections, scans, subscriptions, feeds and the delivery outbox (saves route into it in their
// own transaction), on a schema that `migratePg` creates or upgrades. Behaves as SqliteStoryStore does.

import { hostname } from "node:os";
import type pg from "pg";
import type { Analysis, Article } from "../../core/article.js";
import { type Clock, systemClock } from "../../core/clock.js";
import type { DigestSchedule } from "../../core/digest.js";
import type { Feed, FeedOrigin, FeedSpec, FeedState, FeedStore } from "../../core/feeds.js";
import type { RejectReason } from "../../core/reject.js";
import type { FileFacts, FileRecord, SaveItem, SaveOutcome, ScanReport } from "../../core/story.js";
import { keywordOf, type TagKey } from "../../core/tags.js";
import type { StoryDelivery } from "../outbox.js";
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
  SaveOptions,
  StoreHealth,
  StoreStats,
  StoryReasons,
  StoryRecord,
  StoryStore,
  TagQuery,
} from "../types.js";
import { PgEvents } from "./events.js";
import { deliveriesOfPg, exportEventsPg, storyReasonsPg } from "./export.js";
import { PgFeeds } from "./feeds.js";
import { PgFileLedger } from "./ledger.js";
import { migratePg } from "./migrations.js";
import { openPool, type PgOptions } from "./open.js";
import { PgOutbox } from "./outbox.js";
import * as reads from "./reads.js";
import type { Fence } from "./replica.js";
import { PgStorySaver } from "./save.js";
import { PgSaves } from "./saves.js";
import { phrasesIn, searchPagePg } from "./search.js";
import { PgSubscriptions } from "./subscriptions.js";

export { SAVE_LOCK } from "./saves.js";

/** The whole StoryStore: the name other modules and tests used while this store had only part of it. */
export type PgStories = StoryStore;

export interface PgStoreOptions extends PgOptions {
  clock?: Clock;
  /** Whether an article file still exists (a duplicate of a story whose file is gone takes the story along). */
  fileExists?: (path: string) => boolean;
  /** This replica's name on the outbox rows it claims (default host:pid). */
  holder?: string;
  /** How many of the last stored stories copies are looked for among, whatever their dates (10,000). */
  recentStories?: number;
}

export class PgStoryStore implements StoryStore, SubscriptionStore, FeedStore {
  /** The delivery outbox on the same database (alerts/outbox.ts `Outbox`); saves queue into it through onSaved. */
  readonly outbox: PgOutbox;
  private readonly ledger: PgFileLedger;
  private readonly saves: PgSaves;
  private readonly subs: PgSubscriptions;
  private readonly feeds: PgFeeds;
  private closed = false;

  private constructor(
    /** The pool, for this folder's helpers and tests; nothing outside src/store/pg/ touches it. */
    readonly pool: pg.Pool,
    clock: Clock,
    opts: PgStoreOptions,
  ) {
    this.ledger = new PgFileLedger(opts.fileExists ?? (() => true));
    this.outbox = new PgOutbox(pool, { holder: opts.holder ?? `${hostname()}:${process.pid}`, clock });
    const saver = new PgStorySaver(clock, this.ledger, new PgEvents(opts.recentStories));
    this.saves = new PgSaves(pool, this.outbox, clock, this.ledger, saver);
    this.subs = new PgSubscriptions(pool, clock);
    this.feeds = new PgFeeds(pool, clock);
  }

  /** Checked first in every scheduler write's transaction when set (replica.ts): saves, rejections, scans, feed state. */
  get fence(): Fence | null {
    return this.saves.fence;
  }

  set fence(fence: Fence | null) {
    this.saves.fence = fence;
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
    return new PgStoryStore(pool, opts.clock ?? systemClock, opts);
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
    return this.feeds.updateFeed(id, state, this.saves.fence);
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

  filePathBounds(): Promise<[string, string] | null> {
    return this.ledger.bounds(this.pool);
  }

  fileRecords(paths: readonly string[]): Promise<Map<string, FileRecord>> {
    return this.ledger.records(this.pool, paths);
  }

  /** Several saves in one transaction, in order; `opts.onSaved` routes each new or revised story inside it. */
  saveArticles(items: SaveItem[], opts?: SaveOptions): Promise<SaveOutcome[]> {
    return this.saves.saveArticles(items, opts);
  }

  saveArticle(
    article: Article,
    analysis: Analysis,
    file: FileFacts,
    opts?: SaveOptions,
  ): Promise<SaveOutcome> {
    return this.saves.saveArticle(article, analysis, file, opts);
  }

  recordRejection(file: FileFacts, reason: RejectReason, detail: string): Promise<{ fresh: boolean }> {
    return this.saves.recordRejection(file, reason, detail);
  }

  recordScan(r: ScanReport): Promise<void> {
    return this.saves.recordScan(r);
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
    return phrasesIn(this.pool, rowid, keys, (key) => keywordOf(key) ?? "");
  }

  deliveriesOf(storyId: string, channelRef: string): Promise<StoryDelivery[]> {
    return deliveriesOfPg(this.pool, storyId, channelRef);
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
