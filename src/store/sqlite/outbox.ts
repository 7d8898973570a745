// The delivery outbox in SQLite: routing a stored story to subscribed channels, and the dispatcher's row states.

import type Database from "better-sqlite3";
import { type Clock, isoNow } from "../../core/clock.js";
import type { Platform } from "../../core/platform.js";
import type { StorySummary } from "../../core/story.js";
import type {
  ChannelActivity,
  DueDelivery,
  EditTarget,
  FailedDelivery,
  Outbox,
  OutboxStats,
  PlatformState,
  TagKey,
} from "../subscriptions.js";
import * as report from "./outbox-report.js";
import { type StoryRow, SUMMARY_COLUMNS, toSummary } from "./rows.js";
import { statementCache } from "./statements.js";
import { disableChannelSubscriptions } from "./subscriptions.js";

/**
 * The story's tag keys come from story_tags (actor rows; country rows under role '' for "mentioned or blamed",
 * and 'sponsor' rows for "blamed"), plus "all". The partial index on active subscriptions is probed once per
 * key, and INSERT OR IGNORE against the one-alert-per-(story, channel) index makes re-routing a revision add
 * only new channels.
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

/**
 * A revision reaches the channels its alert went to (or is going to) as an edit of that alert's message. One
 * pending update per alert is enough: it renders the latest revision when it goes. A channel whose
 * subscriptions are all off gets nothing more.
 */
const QUEUE_UPDATES_SQL = `
INSERT INTO deliveries (story_rowid, channel_ref, platform, tags, kind, update_of, status, attempts, next_attempt_at, created_at)
SELECT a.story_rowid, a.channel_ref, a.platform, a.tags, 'update', a.id, 'pending', 0, @now, @now
FROM deliveries a
WHERE a.story_rowid = @rowid AND a.kind = 'alert' AND a.status IN ('sent', 'sending')
  AND EXISTS (SELECT 1 FROM subscriptions s WHERE s.channel_ref = a.channel_ref AND s.state = 'active')
  AND NOT EXISTS (SELECT 1 FROM deliveries u
                  WHERE u.channel_ref = a.channel_ref AND u.status = 'pending' AND u.update_of = a.id)`;

const DUE_COLUMNS =
  "id, story_rowid AS storyRowid, channel_ref AS channelRef, platform, kind, update_of AS updateOf, tags, attempts, next_attempt_at AS nextAttemptAt";

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
    return this.added(this.sql(ROUTE_SQL).run({ rowid: storyRowid, now: this.clock.now() }).changes);
  }

  queueUpdates(storyRowid: number): number {
    return this.added(this.sql(QUEUE_UPDATES_SQL).run({ rowid: storyRowid, now: this.clock.now() }).changes);
  }

  private added(count: number): number {
    if (count > 0) for (const l of this.listeners) l(count);
    return count;
  }

  editTarget(alertId: number): EditTarget | undefined {
    const row = this.sql("SELECT status, message_id AS messageId, batched FROM deliveries WHERE id = ?").get(
      alertId,
    ) as (Omit<EditTarget, "batched"> & { batched: number }) | undefined;
    return row && { ...row, batched: row.batched === 1 };
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

  markSent(ids: number[], messageId: string, now: number, batched = false): void {
    this.each(
      ids,
      "UPDATE deliveries SET status = 'sent', message_id = ?, sent_at = ?, last_error = NULL, batched = ? WHERE id = ? AND status IN ('sending', 'pending')",
      messageId,
      now,
      batched ? 1 : 0,
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

  cancel(ids: number[], reason: string): void {
    this.each(
      ids,
      "UPDATE deliveries SET status = 'cancelled', last_error = ? WHERE id = ? AND status = 'sending'",
      reason,
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
    return report.outboxFailures(this.sql, limit);
  }

  stats(): OutboxStats {
    return report.outboxStats(this.db, this.sql);
  }

  pausePlatform(platform: Platform, reason: string, at: number): void {
    report.pausePlatform(this.sql, platform, reason, at);
  }

  resumePlatform(platform: Platform): boolean {
    return report.resumePlatform(this.db, this.sql, platform);
  }

  platformStates(): PlatformState[] {
    return report.platformStates(this.db, this.sql);
  }
}
