// The SQLite StoryStore (better-sqlite3, WAL): stories, revisions, tags, the file ledger and rejections.

import type Database from "better-sqlite3";
import type { Analysis, Article } from "../../core/article.js";
import { type Clock, isoNow, systemClock } from "../../core/clock.js";
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
import { SqliteDigests } from "./digests.js";
import { EventIndex } from "./events.js";
import { exportEvents } from "./export.js";
import { SqliteFeeds } from "./feeds.js";
import { storiesWithPhrase } from "./keywords.js";
import { FEED_KEY_SQL, FileLedger } from "./ledger.js";
import { migrate } from "./migrations.js";
import { openDatabase } from "./open.js";
import { SqliteOutbox } from "./outbox.js";
import { LEADS_ONLY, type StoryRow, SUMMARY_COLUMNS, tagRowOf, toRecord, toSummary } from "./rows.js";
import { StorySaver } from "./save.js";
import { ftsQuery, searchPage } from "./search.js";
import { statementCache } from "./statements.js";
import { SqliteSubscriptions } from "./subscriptions.js";
import * as why from "./why.js";

const TAG_TOTAL = "SELECT stories FROM tag_counts WHERE kind = ? AND value = ? AND role = ?";
const TAG_TOTAL_COUNTED =
  "SELECT count(*) FROM story_tags WHERE kind = ? AND value = ? AND role = ? AND shown = 1";

/** Search counts stop here: "1000+ stories" is as useful as an exact count and far cheaper. */

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
  private readonly saver: StorySaver;
  private readonly feeds: SqliteFeeds;

  constructor(path: string, opts: SqliteStoreOptions = {}) {
    this.db = openDatabase(path, opts.readonly);
    this.sql = statementCache(this.db);
    this.clock = opts.clock ?? systemClock;
    if (!opts.readonly) migrate(this.db);
    this.outbox = new SqliteOutbox(this.db, this.clock);
    this.digests = new SqliteDigests(this.db, this.clock, (count) => this.outbox.announce(count));
    this.subs = new SqliteSubscriptions(this.db, this.clock);
    this.ledger = new FileLedger(this.sql, opts.fileExists ?? (() => true));
    this.saver = new StorySaver(
      this.sql,
      this.clock,
      this.ledger,
      this.outbox.inTransaction,
      new EventIndex(this.sql, opts.recentStories),
    );
    this.feeds = new SqliteFeeds(this.db, this.clock);
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

  async saveArticles(items: SaveItem[], opts: SaveOptions = {}): Promise<SaveOutcome[]> {
    // One transaction for the batch: a commit costs far more than the rows in it.
    return this.db
      .transaction(() => {
        this.saver.begin();
        const outcomes = items.map((it) =>
          this.saver.save(it.article, it.analysis, it.file, opts, it.alert !== false),
        );
        this.saver.beforeCommit();
        return outcomes;
      })
      .immediate();
  }

  async saveArticle(
    article: Article,
    analysis: Analysis,
    file: FileFacts,
    opts: SaveOptions = {},
  ): Promise<SaveOutcome> {
    return this.db
      .transaction(() => {
        this.saver.begin();
        const outcome = this.saver.save(article, analysis, file, opts);
        this.saver.beforeCommit();
        return outcome;
      })
      .immediate();
  }

  async recordRejection(file: FileFacts, reason: RejectReason, detail: string): Promise<{ fresh: boolean }> {
    const now = isoNow(this.clock);
    return this.db.transaction(() => this.ledger.reject(file, reason, detail, now)).immediate();
  }

  async rejections(): Promise<Rejection[]> {
    return this.sql(
      `SELECT path, size, mtime_ms AS mtimeMs, reason, detail, first_seen AS firstSeen, last_seen AS lastSeen
       FROM rejections ORDER BY path`,
    ).all() as Rejection[];
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
      revisions: count("SELECT count(*) FROM story_revisions"),
      files: count(`SELECT count(*) FROM files WHERE NOT (${FEED_KEY_SQL})`),
      rejected: count("SELECT count(*) FROM rejections"),
      lastScan: last ?? null,
      feeds: count("SELECT count(*) FROM feeds"),
      feedItems: count(`SELECT count(*) FROM files WHERE ${FEED_KEY_SQL}`),
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
      `SELECT ${SUMMARY_COLUMNS} FROM stories s WHERE ${LEADS_ONLY} ORDER BY s.date DESC, s.rowid DESC LIMIT ? OFFSET ?`,
    ).all(limit, offset) as StoryRow[];
    const total = this.sql(`SELECT count(*) FROM stories s WHERE ${LEADS_ONLY}`).pluck().get() as number;
    return { stories: rows.map(toSummary), total };
  }

  async byTag(tag: TagQuery, limit: number): Promise<Page> {
    const [kind, value, role] = tagRowOf(tag);
    const rows = this.sql(
      `SELECT ${SUMMARY_COLUMNS} FROM story_tags t JOIN stories s ON s.rowid = t.story_rowid
         WHERE t.kind = ? AND t.value = ? AND t.role = ? AND t.shown = 1 ORDER BY t.date DESC, t.story_rowid DESC LIMIT ?`,
    ).all(kind, value, role, limit) as StoryRow[];
    // An event counts once: a later story's tag row is shown only when the event's first story lacks the tag.
    // tag_counts keeps that count as tags are stored (count-migrations.ts), so nothing is counted here.
    // A read-only store on a schema before migration 10 has no tag_counts: it counts as before.
    const total = (this.sql(this.tagCounts() ? TAG_TOTAL : TAG_TOTAL_COUNTED)
      .pluck()
      .get(kind, value, role) ?? 0) as number;
    return { stories: rows.map(toSummary), total };
  }

  private hasTagCounts: boolean | undefined;

  private tagCounts(): boolean {
    this.hasTagCounts ??=
      this.sql("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tag_counts'").get() !==
      undefined;
    return this.hasTagCounts;
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
    const rowid = this.sql("SELECT rowid FROM stories WHERE id = ?").pluck().get(storyId) as
      | number
      | undefined;
    if (rowid === undefined) return [];
    return keys.filter((k) => storiesWithPhrase(this.sql, keywordOf(k) ?? "", [rowid]).has(rowid));
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
