// What the PostgreSQL outbox reads for the dispatcher besides due rows: the alert an edit or a thread reply
// answers, a channel's recent activity, the stories of rows, digests, and the counts and failures operators see.

import type pg from "pg";
import type { Platform } from "../../core/platform.js";
import type { StorySummary } from "../../core/story.js";
import type { TagKey } from "../../core/tags.js";
import type { DigestPayload } from "../digests.js";
import type {
  ChannelActivity,
  EditTarget,
  FailedDelivery,
  OutboxStats,
  PlatformState,
  ThreadParent,
} from "../outbox.js";
import { type StoryRow, SUMMARY_COLUMNS, toSummary } from "../sqlite/rows.js";

export class PgOutboxReads {
  constructor(protected readonly pool: pg.Pool) {}

  async editTarget(alertId: number): Promise<EditTarget | undefined> {
    const r = await this.pool.query<Omit<EditTarget, "batched"> & { batched: number }>(
      `SELECT status, message_id AS "messageId", batched FROM deliveries WHERE id = $1`,
      [alertId],
    );
    const row = r.rows[0];
    return row && { ...row, batched: row.batched === 1 };
  }

  /** The alert row `alertId` with its story and its event's count of other stories. */
  async threadParent(alertId: number): Promise<ThreadParent | undefined> {
    const r = await this.pool.query<Omit<ThreadParent, "batched"> & { batched: number }>(
      `SELECT d.status, d.message_id AS "messageId", d.batched, d.story_rowid AS "storyRowid", d.tags,
         (SELECT count(*) FROM stories e WHERE e.rowid = coalesce(s.event_rowid, s.rowid)
            OR e.event_rowid = coalesce(s.event_rowid, s.rowid))::int - 1 AS sources
       FROM deliveries d JOIN stories s ON s.rowid = d.story_rowid WHERE d.id = $1`,
      [alertId],
    );
    const row = r.rows[0];
    return row && { ...row, batched: row.batched === 1, sources: Math.max(0, row.sources) };
  }

  /** The story's actor and country keys that no earlier story of its event had (what a later source adds). */
  async addedTags(storyRowid: number): Promise<TagKey[]> {
    const r = await this.pool.query<{ kind: "actor" | "country"; value: string; role: string }>(
      `SELECT t.kind, t.value, t.role FROM story_tags t JOIN stories s ON s.rowid = t.story_rowid
       WHERE t.story_rowid = $1 AND t.kind IN ('actor', 'country') AND NOT EXISTS (
         SELECT 1 FROM story_tags o JOIN stories e ON e.rowid = o.story_rowid
         WHERE (e.rowid = coalesce(s.event_rowid, s.rowid) OR e.event_rowid = coalesce(s.event_rowid, s.rowid))
           AND e.rowid < s.rowid AND o.kind = t.kind AND o.value = t.value AND o.role = t.role)
       ORDER BY t.kind COLLATE "C", t.role COLLATE "C", t.value COLLATE "C"`,
      [storyRowid],
    );
    return r.rows.map((t): TagKey => {
      if (t.kind === "actor") return `actor:${t.value}`;
      return t.role === "sponsor" ? `sponsor:${t.value.toUpperCase()}` : `country:${t.value.toUpperCase()}`;
    });
  }

  async lastThreadReplyAt(alertId: number, channelRef: string, since: number): Promise<number | null> {
    const r = await this.pool.query<{ at: number | null }>(
      `SELECT max(sent_at) AS at FROM deliveries WHERE channel_ref = $1 AND status = 'sent' AND sent_at >= $2
       AND kind = 'source' AND update_of = $3`,
      [channelRef, since, alertId],
    );
    return r.rows[0]?.at ?? null;
  }

  async activity(channelRef: string, since: number): Promise<ChannelActivity> {
    const r = await this.pool.query<{ n: number; last: number | null; lastBatch: number | null }>(
      `SELECT count(*)::int AS n, max(sent_at) AS last, max(CASE WHEN batched = 1 THEN sent_at END) AS "lastBatch"
       FROM deliveries WHERE channel_ref = $1 AND status = 'sent' AND sent_at >= $2`,
      [channelRef, since],
    );
    const row = r.rows[0] ?? { n: 0, last: null, lastBatch: null };
    return { sentInWindow: row.n, lastSentAt: row.last, lastBatchAt: row.lastBatch };
  }

  async stories(rowids: number[]): Promise<Map<number, StorySummary>> {
    const r = await this.pool.query<StoryRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM stories s WHERE s.rowid = ANY($1)`,
      [[...new Set(rowids)]],
    );
    return new Map(r.rows.map((row) => [row.rowid, toSummary(row)]));
  }

  async digestOf(deliveryId: number): Promise<{ key: string; payload: DigestPayload } | undefined> {
    const r = await this.pool.query<{ key: string | null; payload: string | null }>(
      "SELECT digest_key AS key, payload FROM deliveries WHERE id = $1 AND kind = 'digest'",
      [deliveryId],
    );
    const row = r.rows[0];
    if (!row?.key || !row.payload) return undefined;
    return { key: row.key, payload: JSON.parse(row.payload) as DigestPayload };
  }

  /** The most recent deliveries that gave up, with their reason (for `cyberbrief status`). */
  async failures(limit: number): Promise<FailedDelivery[]> {
    const r = await this.pool.query<FailedDelivery>(
      `SELECT d.channel_ref AS "channelRef", s.id AS "storyId", s.title, d.attempts, coalesce(d.last_error, '') AS error
       FROM deliveries d JOIN stories s ON s.rowid = d.story_rowid
       WHERE d.status = 'failed' ORDER BY d.id DESC LIMIT $1`,
      [limit],
    );
    return r.rows;
  }

  async stats(): Promise<OutboxStats> {
    const stats: OutboxStats = {
      pending: 0,
      sending: 0,
      failed: 0,
      sent: 0,
      cancelled: 0,
      oldestPendingAt: null,
      activeSubscriptions: 0,
      disabledSubscriptions: 0,
    };
    const counts = await this.pool.query<{ status: string; n: number }>(
      "SELECT status, count(*)::int AS n FROM deliveries GROUP BY status",
    );
    for (const r of counts.rows) (stats as unknown as Record<string, number>)[r.status] = r.n;
    const oldest = await this.pool.query<{ at: number | null }>(
      "SELECT min(created_at) AS at FROM deliveries WHERE status = 'pending'",
    );
    stats.oldestPendingAt = oldest.rows[0]?.at ?? null;
    const subs = await this.pool.query<{ state: string; n: number }>(
      "SELECT state, count(*)::int AS n FROM subscriptions GROUP BY state",
    );
    for (const r of subs.rows) {
      if (r.state === "active") stats.activeSubscriptions = r.n;
      if (r.state === "disabled") stats.disabledSubscriptions = r.n;
    }
    return stats;
  }

  /** The first refusal is kept: `since` says how long the platform has been paused. */
  async pausePlatform(platform: Platform, reason: string, at: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO platform_state (platform, state, reason, since) VALUES ($1, 'paused', $2, $3)
       ON CONFLICT (platform) DO UPDATE SET reason = EXCLUDED.reason`,
      [platform, reason, at],
    );
  }

  async resumePlatform(platform: Platform): Promise<boolean> {
    const r = await this.pool.query("DELETE FROM platform_state WHERE platform = $1", [platform]);
    return (r.rowCount ?? 0) > 0;
  }

  async platformStates(): Promise<PlatformState[]> {
    const r = await this.pool.query<PlatformState>(
      "SELECT platform, state, reason, since FROM platform_state ORDER BY platform",
    );
    return r.rows;
  }
}
