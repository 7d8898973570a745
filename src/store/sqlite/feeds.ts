// The SQLite FeedStore: feeds, their poll state and their followers, each change in one short transaction (so
// the CLI can change feeds beside a running bot, whose poller reads them from here).

import type Database from "better-sqlite3";
import { type Clock, isoNow } from "../../core/clock.js";
import { CyberbriefError } from "../../core/errors.js";
import { feedUrl, MAX_EVERY_MS, MIN_EVERY_MS, normaliseFeedUrl } from "../../core/feed-text.js";
import type { Feed, FeedOrigin, FeedSpec, FeedState, FeedStore } from "../../core/feeds.js";
import { type FeedRow, STATE_COLUMNS, stateValue, toFeed } from "./feed-rows.js";
import { statementCache } from "./statements.js";

/** Longest feed name kept (a name is shown as the source of every story of the feed). */
const MAX_NAME = 200;

/** The spec as stored: normalised http(s) URL, trimmed name (empty: none), interval in range. */
export function checkedSpec(spec: FeedSpec): FeedSpec {
  const checked = feedUrl(spec.url);
  if ("problem" in checked) throw new CyberbriefError("feeds/bad-url", checked.problem);
  if (!Number.isInteger(spec.everyMs) || spec.everyMs < MIN_EVERY_MS || spec.everyMs > MAX_EVERY_MS) {
    throw new CyberbriefError(
      "feeds/bad-interval",
      `a feed's interval must be 5 s to 7 days, not ${spec.everyMs} ms`,
    );
  }
  const name = spec.name?.replace(/\s+/g, " ").trim().slice(0, MAX_NAME) || null;
  return { url: checked.url, name, everyMs: spec.everyMs, fullText: spec.fullText };
}

export class SqliteFeeds implements FeedStore {
  private readonly sql: (text: string) => Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.sql = statementCache(db);
  }

  async addFeed(
    spec: FeedSpec,
    origin: FeedOrigin,
    addedBy: string,
  ): Promise<{ feed: Feed; created: boolean }> {
    const s = checkedSpec(spec);
    return this.db
      .transaction(() => {
        const now = isoNow(this.clock);
        let id = this.idOf(s.url);
        const created = id === undefined;
        if (id === undefined) {
          // next_poll_at = now: a new feed is polled at once (its baseline).
          const info = this.sql(
            `INSERT INTO feeds (url, name, every_ms, full_text, origin, added_by, added_at, next_poll_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          ).run(s.url, s.name, s.everyMs, s.fullText ? 1 : 0, origin, addedBy, now, now);
          id = Number(info.lastInsertRowid);
        }
        if (origin === "chat") {
          this.sql(
            "INSERT OR IGNORE INTO feed_followers (feed_id, channel_ref, added_at) VALUES (?, ?, ?)",
          ).run(id, addedBy, now);
        }
        return { feed: this.byId(id) as Feed, created };
      })
      .immediate();
  }

  async listFeeds(): Promise<Feed[]> {
    const rows = this.sql("SELECT * FROM feeds ORDER BY id").all() as FeedRow[];
    const followers = new Map<number, string[]>();
    const pairs = this.sql(
      "SELECT feed_id, channel_ref FROM feed_followers ORDER BY feed_id, added_at, channel_ref",
    )
      .raw()
      .all() as Array<[number, string]>;
    for (const [feedId, channel] of pairs) followers.set(feedId, [...(followers.get(feedId) ?? []), channel]);
    return rows.map((r) => toFeed(r, followers.get(r.id) ?? []));
  }

  async getFeed(idOrUrl: string): Promise<Feed | undefined> {
    const text = idOrUrl.trim();
    if (/^\d{1,15}$/.test(text)) return this.byId(Number(text));
    const url = normaliseFeedUrl(text);
    const id = url === null ? undefined : this.idOf(url);
    return id === undefined ? undefined : this.byId(id);
  }

  async removeFeed(id: number): Promise<boolean> {
    return this.db
      .transaction(() => {
        this.sql("DELETE FROM feed_followers WHERE feed_id = ?").run(id);
        return this.sql("DELETE FROM feeds WHERE id = ?").run(id).changes > 0;
      })
      .immediate();
  }

  async unfollowFeed(id: number, channelRef: string): Promise<{ unfollowed: boolean; removed: boolean }> {
    return this.db
      .transaction(() => {
        const unfollowed =
          this.sql("DELETE FROM feed_followers WHERE feed_id = ? AND channel_ref = ?").run(id, channelRef)
            .changes > 0;
        const left = this.sql("SELECT count(*) FROM feed_followers WHERE feed_id = ?")
          .pluck()
          .get(id) as number;
        const removed =
          unfollowed && left === 0
            ? this.sql("DELETE FROM feeds WHERE id = ? AND origin = 'chat'").run(id).changes > 0
            : false;
        return { unfollowed, removed };
      })
      .immediate();
  }

  async updateFeed(id: number, state: Partial<FeedState>): Promise<void> {
    const sets: string[] = [];
    const values: unknown[] = [];
    for (const [key, value] of Object.entries(state)) {
      const column = STATE_COLUMNS[key as keyof FeedState];
      if (!column || value === undefined) continue;
      sets.push(`${column} = ?`);
      values.push(stateValue(value));
    }
    if (sets.length === 0) return;
    this.sql(`UPDATE feeds SET ${sets.join(", ")} WHERE id = ?`).run(...values, id);
  }

  async syncConfigFeeds(specs: FeedSpec[]): Promise<{ added: number; updated: number; removed: number }> {
    const wanted = new Map(specs.map(checkedSpec).map((s) => [s.url, s]));
    return this.db
      .transaction(() => {
        const now = isoNow(this.clock);
        const counts = { added: 0, updated: 0, removed: 0 };
        const all = this.sql("SELECT * FROM feeds").all() as FeedRow[];
        const byUrl = new Map(all.map((r) => [r.url, r]));
        for (const row of all) {
          if (row.origin === "config" && !wanted.has(row.url)) {
            this.sql("DELETE FROM feed_followers WHERE feed_id = ?").run(row.id);
            this.sql("DELETE FROM feeds WHERE id = ?").run(row.id);
            counts.removed++;
          }
        }
        for (const s of wanted.values()) {
          const row = byUrl.get(s.url);
          if (!row) {
            this.sql(
              `INSERT INTO feeds (url, name, every_ms, full_text, origin, added_by, added_at, next_poll_at)
               VALUES (?, ?, ?, ?, 'config', 'config', ?, ?)`,
            ).run(s.url, s.name, s.everyMs, s.fullText ? 1 : 0, now, now);
            counts.added++;
          } else if (
            row.origin === "config" &&
            (row.name !== s.name || row.every_ms !== s.everyMs || row.full_text !== (s.fullText ? 1 : 0))
          ) {
            this.sql("UPDATE feeds SET name = ?, every_ms = ?, full_text = ? WHERE id = ?").run(
              s.name,
              s.everyMs,
              s.fullText ? 1 : 0,
              row.id,
            );
            counts.updated++;
          }
        }
        return counts;
      })
      .immediate();
  }

  private idOf(url: string): number | undefined {
    return this.sql("SELECT id FROM feeds WHERE url = ?").pluck().get(url) as number | undefined;
  }

  private byId(id: number): Feed | undefined {
    const row = this.sql("SELECT * FROM feeds WHERE id = ?").get(id) as FeedRow | undefined;
    if (!row) return undefined;
    const followers = this.sql(
      "SELECT channel_ref FROM feed_followers WHERE feed_id = ? ORDER BY added_at, channel_ref",
    )
      .pluck()
      .all(id) as string[];
    return toFeed(row, followers);
  }
}
