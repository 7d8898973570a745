// The delivery outbox in SQLite: routing a stored story to subscribed channels, and the dispatcher's row states.

import type Database from "better-sqlite3";
import type { Platform } from "../../chat/types.js";
import { type Clock, isoNow } from "../../core/clock.js";
import type {
  ChannelActivity,
  DueDelivery,
  FailedDelivery,
  Outbox,
  OutboxStats,
  TagKey,
} from "../subscriptions.js";
import type { StorySummary } from "../types.js";
import { type StoryRow, SUMMARY_COLUMNS, toSummary } from "./rows.js";
import { statementCache } from "./statements.js";
import { disableChannelSubscriptions } from "./subscriptions.js";

/**
 * The story's tag keys come from story_tags (actor rows; country rows under role '' for "mentioned or blamed",
 * and 'sponsor' rows for "blamed"), plus "all". The partial index on active subscriptions is probed once per
 * key, and INSERT OR IGNORE against UNIQUE(story, channel) makes re-routing a revision add only new channels.
 */
const ROUTE_SQL = `
INSERT OR IGNORE INTO deliveries (story_rowid, channel_ref, platform, tags, status, attempts, next_attempt_at, created_at)
SELECT @rowid, s.channel_ref, s.platform, group_concat(s.tag, ', ' ORDER BY s.tag), 'pending', 0, @now, @now
FROM subscriptions s
WHERE s.state = 'active' AND s.tag IN (
  SELECT CASE WHEN kind = 'actor' THEN 'actor:' || value
              WHEN role = '' THEN 'country:' || upper(value)
              ELSE 'sponsor:' || upper(value) END
  FROM story_tags WHERE story_rowid = @rowid AND (kind = 'actor' OR role IN ('', 'sponsor'))
  UNION ALL SELECT 'all')
GROUP BY s.channel_ref`;

const DUE_COLUMNS =
  "id, story_rowid AS storyRowid, channel_ref AS channelRef, platform, tags, attempts, next_attempt_at AS nextAttemptAt";

export class SqliteOutbox implements Outbox {
  // Prepared lazily: a read-only store on an older schema must still open.
  private readonly sql: (text: string) => Database.Statement;
  private readonly listeners = new Set<(count: number) => void>();

  constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.sql = statementCache(db);
  }

  private each(ids: number[], text: string, ...params: unknown[]): number {
    const stmt = this.sql(text);
    let changed = 0;
    this.db.transaction(() => {
      for (const id of ids) changed += stmt.run(...params, id).changes;
    })();
    return changed;
  }

  /** Queue deliveries of a stored story; runs inside the save transaction. Returns how many rows were added. */
  route(storyRowid: number): number {
    const added = this.sql(ROUTE_SQL).run({ rowid: storyRowid, now: this.clock.now() }).changes;
    if (added > 0) for (const l of this.listeners) l(added);
    return added;
  }

  onRouted(listener: (count: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  due(platform: Platform, now: number, limit: number, after?: { at: number; id: number }): DueDelivery[] {
    const a = after ?? { at: Number.MIN_SAFE_INTEGER, id: 0 };
    return this.sql(
      `SELECT ${DUE_COLUMNS} FROM deliveries WHERE status = 'pending' AND platform = ? AND next_attempt_at <= ?
       AND (next_attempt_at, id) > (?, ?) ORDER BY next_attempt_at, id LIMIT ?`,
    ).all(platform, now, a.at, a.id, limit) as DueDelivery[];
  }

  dueForChannel(channelRef: string, now: number, limit: number): DueDelivery[] {
    return this.sql(
      `SELECT ${DUE_COLUMNS} FROM deliveries WHERE channel_ref = ? AND status = 'pending' AND next_attempt_at <= ?
       ORDER BY id LIMIT ?`,
    ).all(channelRef, now, limit) as DueDelivery[];
  }

  nextDueAt(platforms: Platform[]): number | null {
    let next: number | null = null;
    const stmt = this.sql(
      "SELECT min(next_attempt_at) FROM deliveries WHERE status = 'pending' AND platform = ?",
    );
    for (const p of platforms) {
      const at = stmt.pluck().get(p) as number | null;
      if (at !== null && (next === null || at < next)) next = at;
    }
    return next;
  }

  claim(ids: number[], now: number): number[] {
    const stmt = this.sql(
      "UPDATE deliveries SET status = 'sending', attempts = attempts + 1, next_attempt_at = ? WHERE id = ? AND status = 'pending'",
    );
    const claimed: number[] = [];
    this.db.transaction(() => {
      for (const id of ids) if (stmt.run(now, id).changes === 1) claimed.push(id);
    })();
    return claimed;
  }

  markSent(ids: number[], messageId: string, now: number): void {
    this.each(
      ids,
      "UPDATE deliveries SET status = 'sent', message_id = ?, sent_at = ?, last_error = NULL WHERE id = ? AND status IN ('sending', 'pending')",
      messageId,
      now,
    );
  }

  retry(ids: number[], at: number, error: string, refund = false): void {
    this.each(
      ids,
      "UPDATE deliveries SET status = 'pending', next_attempt_at = ?, last_error = ?, attempts = attempts - ? WHERE id = ? AND status = 'sending'",
      at,
      error,
      refund ? 1 : 0,
    );
  }

  markFailed(ids: number[], error: string): void {
    this.each(
      ids,
      "UPDATE deliveries SET status = 'failed', last_error = ? WHERE id = ? AND status = 'sending'",
      error,
    );
  }

  defer(ids: number[], at: number): void {
    this.each(ids, "UPDATE deliveries SET next_attempt_at = ? WHERE id = ? AND status = 'pending'", at);
  }

  release(ids: number[]): void {
    this.each(
      ids,
      "UPDATE deliveries SET status = 'pending', attempts = attempts - 1 WHERE id = ? AND status = 'sending'",
    );
  }

  recoverInFlight(): number {
    // No refund here: the send may have reached the platform before the crash, so it was a real attempt.
    return this.sql("UPDATE deliveries SET status = 'pending' WHERE status = 'sending'").run().changes;
  }

  disableChannel(
    channelRef: string,
    reason: string,
    failedIds: number[],
  ): { tags: TagKey[]; cancelled: number } {
    return this.db
      .transaction(() => {
        const tags = disableChannelSubscriptions(this.db, channelRef, reason, isoNow(this.clock));
        this.markFailed(failedIds, reason);
        const cancelled = this.sql(
          "UPDATE deliveries SET status = 'cancelled', last_error = ? WHERE channel_ref = ? AND status = 'pending'",
        ).run(`subscription disabled: ${reason}`, channelRef).changes;
        return { tags, cancelled };
      })
      .immediate();
  }

  activity(channelRef: string, since: number): ChannelActivity {
    const row = this.sql(
      "SELECT count(*) AS n, max(sent_at) AS last FROM deliveries WHERE channel_ref = ? AND status = 'sent' AND sent_at >= ?",
    ).get(channelRef, since) as { n: number; last: number | null };
    return { sentInWindow: row.n, lastSentAt: row.last };
  }

  stories(rowids: number[]): Map<number, StorySummary> {
    const map = new Map<number, StorySummary>();
    const stmt = this.sql(`SELECT ${SUMMARY_COLUMNS} FROM stories s WHERE s.rowid = ?`);
    for (const id of new Set(rowids)) {
      const row = stmt.get(id) as StoryRow | undefined;
      if (row) map.set(id, toSummary(row));
    }
    return map;
  }

  /** The most recent deliveries that gave up, with their reason (for `cyberbrief status`). */
  failures(limit: number): FailedDelivery[] {
    return this.sql(
      `SELECT d.channel_ref AS channelRef, s.id AS storyId, s.title AS title, d.attempts AS attempts,
              coalesce(d.last_error, '') AS error
       FROM deliveries d JOIN stories s ON s.rowid = d.story_rowid
       WHERE d.status = 'failed' ORDER BY d.id DESC LIMIT ?`,
    ).all(limit) as FailedDelivery[];
  }

  stats(): OutboxStats {
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
    const exists = this.db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'deliveries'")
      .pluck()
      .get();
    if (!exists) return stats;
    for (const r of this.sql("SELECT status, count(*) AS n FROM deliveries GROUP BY status").all() as Array<{
      status: keyof OutboxStats;
      n: number;
    }>) {
      (stats as unknown as Record<string, number>)[r.status] = r.n;
    }
    stats.oldestPendingAt = this.sql("SELECT min(created_at) FROM deliveries WHERE status = 'pending'")
      .pluck()
      .get() as number | null;
    for (const r of this.sql("SELECT state, count(*) AS n FROM subscriptions GROUP BY state").all() as Array<{
      state: string;
      n: number;
    }>) {
      if (r.state === "active") stats.activeSubscriptions = r.n;
      if (r.state === "disabled") stats.disabledSubscriptions = r.n;
    }
    return stats;
  }
}
