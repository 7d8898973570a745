// The SQLite StoryStore (better-sqlite3, WAL): stories, revisions, tags, the file ledger and rejections.

import type Database from "better-sqlite3";
import type { Analysis, Article } from "../../core/article.js";
import { type Clock, systemClock } from "../../core/clock.js";
import type { DigestSchedule } from "../../core/digest.js";
import type { Feed, FeedOrigin, FeedSpec, FeedState, FeedStore } from "../../core/feeds.js";
import type { RejectReason } from "../../core/reject.js";
import type { FileFacts, FileRecord, SaveItem, SaveOutcome, ScanReport } from "../../core/story.js";
import type { TagKey } from "../../core/tags.js";
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
import { SqliteDigests } from "./digests.js";
import { EventIndex } from "./events.js";
import { exportEvents } from "./export.js";
import { SqliteFeeds } from "./feeds.js";
import { FileLedger } from "./ledger.js";
import { migrate } from "./migrations.js";
import { openDatabase } from "./open.js";
import { SqliteOutbox } from "./outbox.js";
import { StoryReads } from "./reads.js";
import { StorySaver } from "./save.js";
import { SqliteSaves } from "./saves.js";
import { ftsQuery, searchPage } from "./search.js";
import { statementCache } from "./statements.js";
import { SqliteSubscriptions } from "./subscriptions.js";
import * as why from "./why.js";

export { openDatabase };

export interface SqliteStoreOptions {
  clock?: Clock;
  readonly?: boolean;
  /**
   * Whether an article file still exists: a duplicate of a story whose file is gone is that file renamed, and
   * the story moves to it. Without it every file counts as existing (nothing moves); main.ts passes existsSync.
   */
  fileExists?: (path: string) => boolean;
  /** How many of the last stored stories copies are looked for among, whatever their dates (10,000). */
  recentStories?: number;
}

export class SqliteStoryStore implements StoryStore, SubscriptionStore, FeedStore {
  /** The connection, for this folder's helpers and tests; nothing outside src/store/sqlite/ touches it. */
  readonly db: Database.Database;
  private readonly sql: (text: string) => Database.Statement;
  private readonly clock: Clock;
  /** The delivery outbox on the same database (alerts/outbox.ts `Outbox`); saves queue into it through onSaved. */
  readonly outbox: SqliteOutbox;
  /** Digest subscriptions and their rows (store/digests.ts `DigestStore`), queued into the same outbox. */
  readonly digests: SqliteDigests;
  private readonly subs: SqliteSubscriptions;
  private readonly ledger: FileLedger;
  private readonly saves: SqliteSaves;
  private readonly feeds: SqliteFeeds;
  private readonly reads: StoryReads;

  constructor(path: string, opts: SqliteStoreOptions = {}) {
    this.db = openDatabase(path, opts.readonly);
    this.sql = statementCache(this.db);
    this.clock = opts.clock ?? systemClock;
    if (!opts.readonly) migrate(this.db);
    this.outbox = new SqliteOutbox(this.db, this.clock);
    this.digests = new SqliteDigests(this.db, this.clock, (count) => this.outbox.announce(count));
    this.subs = new SqliteSubscriptions(this.db, this.clock);
    this.ledger = new FileLedger(this.sql, opts.fileExists ?? (() => true));
    const saver = new StorySaver(
      this.sql,
      this.clock,
      this.ledger,
      this.outbox.inTransaction,
      new EventIndex(this.sql, opts.recentStories),
    );
    this.saves = new SqliteSaves(this.db, this.sql, this.clock, this.ledger, saver);
    this.feeds = new SqliteFeeds(this.db, this.clock);
    this.reads = new StoryReads(this.sql);
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
    return this.feeds.updateFeed(id, state);
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

  /** Switched-off subscriptions of every channel, with their reasons. */
  disabledSubscriptions(): Promise<Subscription[]> {
    return this.subs.disabled();
  }

  /** The channel's subscribe/unsubscribe/disable audit trail, oldest first. */
  subscriptionHistory(channelRef: string): Promise<SubscriptionEvent[]> {
    return this.subs.history(channelRef);
  }

  async fileIndex(): Promise<Map<string, FileRecord>> {
    return this.ledger.index();
  }

  async filePathBounds(): Promise<[string, string] | null> {
    return this.ledger.bounds();
  }

  async fileRecords(paths: readonly string[]): Promise<Map<string, FileRecord>> {
    return this.ledger.records(paths);
  }

  /** Several saves in one transaction, in order; `opts.onSaved` routes each new or revised story inside it. */
  async saveArticles(items: SaveItem[], opts: SaveOptions = {}): Promise<SaveOutcome[]> {
    return this.saves.saveArticles(items, opts);
  }

  async saveArticle(
    article: Article,
    analysis: Analysis,
    file: FileFacts,
    opts: SaveOptions = {},
  ): Promise<SaveOutcome> {
    return this.saves.saveArticle(article, analysis, file, opts);
  }

  async recordRejection(file: FileFacts, reason: RejectReason, detail: string): Promise<{ fresh: boolean }> {
    return this.saves.recordRejection(file, reason, detail);
  }

  async rejections(): Promise<Rejection[]> {
    return this.reads.rejections();
  }

  async recordScan(r: ScanReport): Promise<void> {
    this.saves.recordScan(r);
  }

  async stats(): Promise<StoreStats> {
    return this.reads.stats();
  }

  async getStory(idOrPrefix: string): Promise<StoryRecord | undefined> {
    return this.reads.getStory(idOrPrefix);
  }

  async latest(limit: number, offset = 0): Promise<Page> {
    return this.reads.latest(limit, offset);
  }

  async byTag(tag: TagQuery, limit: number): Promise<Page> {
    return this.reads.byTag(tag, limit);
  }

  async search(terms: string[], limit: number): Promise<Page> {
    const match = ftsQuery(terms);
    if (!match) return { stories: [], total: 0 };
    return searchPage(this.sql, match, limit, 0);
  }

  exportEvents(query?: ExportQuery): AsyncIterable<ExportedEvent> {
    return exportEvents(this.db, query);
  }

  async storyReasons(idOrPrefix: string): Promise<StoryReasons | undefined> {
    const story = await this.getStory(idOrPrefix);
    return story && why.storyReasons(this.sql, story);
  }

  async keywordsIn(storyId: string, keys: readonly TagKey[]): Promise<TagKey[]> {
    return this.reads.keywordsIn(storyId, keys);
  }

  async deliveriesOf(storyId: string, channelRef: string): Promise<StoryDelivery[]> {
    return why.deliveriesOf(this.sql, storyId, channelRef);
  }

  async health(): Promise<StoreHealth> {
    return this.db.open ? { ok: true } : { ok: false, detail: "the database is closed" };
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
