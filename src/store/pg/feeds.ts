// The PostgreSQL FeedStore: feeds, their poll state and their followers, each change in one short transaction;
// the rules are store/sqlite/feeds.ts's, rows mapped by store/sqlite/feed-rows.ts.

import type pg from "pg";
import { type Clock, isoNow } from "../../core/clock.js";
import { CyberbriefError } from "../../core/errors.js";
import { normaliseFeedUrl } from "../../core/feed-text.js";
import type { Feed, FeedOrigin, FeedSpec, FeedState, FeedStore } from "../../core/feeds.js";
import { type FeedRow, STATE_COLUMNS, stateValue, toFeed } from "../sqlite/feed-rows.js";
import { checkedSpec } from "../sqlite/feeds.js";
import { inTransaction, type Tx } from "./open.js";
import type { Fence } from "./replica.js";

export class PgFeeds implements FeedStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly clock: Clock,
  ) {}

  async addFeed(
    spec: FeedSpec,
    origin: FeedOrigin,
    addedBy: string,
  ): Promise<{ feed: Feed; created: boolean }> {
    const s = checkedSpec(spec);
    return inTransaction(this.pool, async (tx) => {
      const now = isoNow(this.clock);
      // Two replicas adding one URL at once: one inserts, the other finds it.
      const inserted = await tx.query<{ id: number }>(
        `INSERT INTO feeds (url, name, every_ms, full_text, origin, added_by, added_at, next_poll_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (url) DO NOTHING RETURNING id`,
        [s.url, s.name, s.everyMs, s.fullText ? 1 : 0, origin, addedBy, now],
      );
      const created = inserted.rows.length > 0;
      const id = inserted.rows[0]?.id ?? (await this.idOf(tx, s.url));
      if (id === undefined)
        throw new CyberbriefError("feeds/vanished", `the feed ${s.url} was removed meanwhile`);
      if (origin === "chat") {
        await tx.query(
          "INSERT INTO feed_followers (feed_id, channel_ref, added_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
          [id, addedBy, now],
        );
      }
      return { feed: (await this.byId(tx, id)) as Feed, created };
    });
  }

  async listFeeds(): Promise<Feed[]> {
    const rows = await this.pool.query<FeedRow>("SELECT * FROM feeds ORDER BY id");
    const pairs = await this.pool.query<{ feed_id: number; channel_ref: string }>(
      `SELECT feed_id, channel_ref FROM feed_followers ORDER BY feed_id, added_at, channel_ref COLLATE "C"`,
    );
    const followers = new Map<number, string[]>();
    for (const p of pairs.rows)
      followers.set(p.feed_id, [...(followers.get(p.feed_id) ?? []), p.channel_ref]);
    return rows.rows.map((r) => toFeed(r, followers.get(r.id) ?? []));
  }

  async getFeed(idOrUrl: string): Promise<Feed | undefined> {
    const text = idOrUrl.trim();
    if (/^\d{1,15}$/.test(text)) {
      const id = Number(text);
      return id <= 2_147_483_647 ? this.byId(this.pool, id) : undefined;
    }
    const url = normaliseFeedUrl(text);
    const id = url === null ? undefined : await this.idOf(this.pool, url);
    return id === undefined ? undefined : this.byId(this.pool, id);
  }

  async removeFeed(id: number): Promise<boolean> {
    const removed = await this.pool.query("DELETE FROM feeds WHERE id = $1", [id]);
    return (removed.rowCount ?? 0) > 0;
  }

  unfollowFeed(id: number, channelRef: string): Promise<{ unfollowed: boolean; removed: boolean }> {
    return inTransaction(this.pool, async (tx) => {
      // The feed row first, locked: an unfollow and a follow of one feed take turns.
      await tx.query("SELECT 1 FROM feeds WHERE id = $1 FOR UPDATE", [id]);
      const gone = await tx.query("DELETE FROM feed_followers WHERE feed_id = $1 AND channel_ref = $2", [
        id,
        channelRef,
      ]);
      const unfollowed = (gone.rowCount ?? 0) > 0;
      const left = await tx.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM feed_followers WHERE feed_id = $1",
        [id],
      );
      let removed = false;
      if (unfollowed && left.rows[0]?.n === 0) {
        const dropped = await tx.query("DELETE FROM feeds WHERE id = $1 AND origin = 'chat'", [id]);
        removed = (dropped.rowCount ?? 0) > 0;
      }
      return { unfollowed, removed };
    });
  }

  /** `fence`: checked in the same transaction first (a scheduler write, store/pg/replica.ts). */
  async updateFeed(id: number, state: Partial<FeedState>, fence?: Fence | null): Promise<void> {
    const sets: string[] = [];
    const values: unknown[] = [];
    for (const [key, value] of Object.entries(state)) {
      const column = STATE_COLUMNS[key as keyof FeedState];
      if (!column || value === undefined) continue;
      values.push(stateValue(value));
      sets.push(`${column} = $${values.length}`);
    }
    if (sets.length === 0) return;
    values.push(id);
    const update = `UPDATE feeds SET ${sets.join(", ")} WHERE id = $${values.length}`;
    if (!fence) {
      await this.pool.query(update, values);
      return;
    }
    await inTransaction(this.pool, async (tx) => {
      await fence(tx);
      await tx.query(update, values);
    });
  }

  async syncConfigFeeds(specs: FeedSpec[]): Promise<{ added: number; updated: number; removed: number }> {
    const wanted = new Map(specs.map(checkedSpec).map((s) => [s.url, s]));
    return inTransaction(this.pool, async (tx) => {
      const now = isoNow(this.clock);
      const counts = { added: 0, updated: 0, removed: 0 };
      const all = (await tx.query<FeedRow>("SELECT * FROM feeds FOR UPDATE")).rows;
      const byUrl = new Map(all.map((r) => [r.url, r]));
      for (const row of all) {
        if (row.origin === "config" && !wanted.has(row.url)) {
          await tx.query("DELETE FROM feeds WHERE id = $1", [row.id]);
          counts.removed++;
        }
      }
      for (const s of wanted.values()) {
        const row = byUrl.get(s.url);
        const fullText = s.fullText ? 1 : 0;
        if (!row) {
          const added = await tx.query(
            `INSERT INTO feeds (url, name, every_ms, full_text, origin, added_by, added_at, next_poll_at)
             VALUES ($1, $2, $3, $4, 'config', 'config', $5, $5) ON CONFLICT (url) DO NOTHING`,
            [s.url, s.name, s.everyMs, fullText, now],
          );
          counts.added += added.rowCount ?? 0;
        } else if (
          row.origin === "config" &&
          (row.name !== s.name || row.every_ms !== s.everyMs || row.full_text !== fullText)
        ) {
          await tx.query("UPDATE feeds SET name = $1, every_ms = $2, full_text = $3 WHERE id = $4", [
            s.name,
            s.everyMs,
            fullText,
            row.id,
          ]);
          counts.updated++;
        }
      }
      return counts;
    });
  }

  private async idOf(db: Tx, url: string): Promise<number | undefined> {
    return (await db.query<{ id: number }>("SELECT id FROM feeds WHERE url = $1", [url])).rows[0]?.id;
  }

  private async byId(db: Tx, id: number): Promise<Feed | undefined> {
    const row = (await db.query<FeedRow>("SELECT * FROM feeds WHERE id = $1", [id])).rows[0];
    if (!row) return undefined;
    const followers = await db.query<{ channel_ref: string }>(
      `SELECT channel_ref FROM feed_followers WHERE feed_id = $1 ORDER BY added_at, channel_ref COLLATE "C"`,
      [id],
    );
    return toFeed(
      row,
      followers.rows.map((r) => r.channel_ref),
    );
  }
}
