// The delivery outbox in SQLite: the dispatcher's row states, and the queueing view a save transaction offers.

import type Database from "better-sqlite3";
import { type Clock, isoNow } from "../../core/clock.js";
import type { Platform } from "../../core/platform.js";
import type { StorySummary } from "../../core/story.js";
import type { TagKey } from "../../core/tags.js";
import type { DigestPayload } from "../digests.js";
import type {
  ChannelActivity,
  DueDelivery,
  EditTarget,
  FailedDelivery,
  OutboxStats,
  PlatformState,
  ThreadParent,
} from "../outbox.js";
import { digestRow } from "./digests.js";
import * as report from "./outbox-report.js";
import * as thread from "./outbox-thread.js";
import { SqliteOutboxTx } from "./outbox-tx.js";
import { type StoryRow, SUMMARY_COLUMNS, toSummary } from "./rows.js";
import { statementCache } from "./statements.js";
import { disableChannelSubscriptions } from "./subscriptions.js";

/** Due rows with their channel reference and tag list by name (`d` the outbox row). */
const DUE_COLUMNS = `d.id, d.story_rowid AS storyRowid, (SELECT ref FROM channels WHERE id = d.channel) AS channelRef,
  d.platform, d.kind, d.update_of AS updateOf, (SELECT tags FROM tag_lists WHERE id = d.tag_list) AS tags,
  d.attempts, d.next_attempt_at AS nextAttemptAt`;

/** The id of a channel named by its reference (NULL when it has none: nothing matches). */
const CHANNEL = "(SELECT id FROM channels WHERE ref = ?)";

/**
 * Implements alerts/outbox.ts `Outbox` structurally (the store sits below alerts and does not import it); each
 * method is one short synchronous transaction behind a promise.
 */
export class SqliteOutbox {
  // Prepared lazily: a read-only store on an older schema must still open.
  private readonly sql: (text: string) => Database.Statement;
  private readonly listeners = new Set<(count: number) => void>();
  /** What a save transaction hands its onSaved callback (alerts/routing.ts queues through it). */
  readonly inTransaction: SqliteOutboxTx;

  constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.sql = statementCache(db);
    this.inTransaction = new SqliteOutboxTx(this.sql, clock, (count) => this.announce(count), db);
  }

  /** Tells the onRouted listeners that `count` rows were queued (routing, or a digest). */
  announce(count: number): void {
    for (const l of this.listeners) l(count);
  }

  private each(ids: number[], text: string, ...params: unknown[]): number {
    const stmt = this.sql(text);
    let changed = 0;
    this.db.transaction(() => {
      for (const id of ids) changed += stmt.run(...params, id).changes;
    })();
    return changed;
  }

  async editTarget(alertId: number): Promise<EditTarget | undefined> {
    const row = this.sql("SELECT status, message_id AS messageId, batched FROM outbox WHERE id = ?").get(
      alertId,
    ) as (Omit<EditTarget, "batched"> & { batched: number }) | undefined;
    return row && { ...row, batched: row.batched === 1 };
  }

  async threadParent(alertId: number): Promise<ThreadParent | undefined> {
    return thread.threadParent(this.sql, alertId);
  }

  async addedTags(storyRowid: number): Promise<TagKey[]> {
    return thread.addedTags(this.sql, storyRowid);
  }

  async lastThreadReplyAt(alertId: number, channelRef: string, since: number): Promise<number | null> {
    return thread.lastThreadReplyAt(this.sql, alertId, channelRef, since);
  }

  onRouted(listener: (count: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async due(
    platform: Platform,
    now: number,
    limit: number,
    after?: { at: number; id: number },
  ): Promise<DueDelivery[]> {
    const a = after ?? { at: Number.MIN_SAFE_INTEGER, id: 0 };
    return this.sql(
      `SELECT ${DUE_COLUMNS} FROM outbox d WHERE d.status = 'pending' AND d.platform = ? AND d.next_attempt_at <= ?
       AND (d.next_attempt_at, d.id) > (?, ?) ORDER BY d.next_attempt_at, d.id LIMIT ?`,
    ).all(platform, now, a.at, a.id, limit) as DueDelivery[];
  }

  async dueForChannel(channelRef: string, now: number, limit: number): Promise<DueDelivery[]> {
    return this.sql(
      `SELECT ${DUE_COLUMNS} FROM outbox d WHERE d.channel = ${CHANNEL} AND d.status = 'pending'
       AND d.next_attempt_at <= ? ORDER BY d.id LIMIT ?`,
    ).all(channelRef, now, limit) as DueDelivery[];
  }

  async nextDueAt(platforms: Platform[]): Promise<number | null> {
    let next: number | null = null;
    const stmt = this.sql(
      "SELECT min(next_attempt_at) FROM outbox WHERE status = 'pending' AND platform = ?",
    );
    for (const p of platforms) {
      const at = stmt.pluck().get(p) as number | null;
      if (at !== null && (next === null || at < next)) next = at;
    }
    return next;
  }

  async claim(ids: number[], now: number): Promise<number[]> {
    const stmt = this.sql(
      "UPDATE outbox SET status = 'sending', attempts = attempts + 1, next_attempt_at = ? WHERE id = ? AND status = 'pending'",
    );
    const claimed: number[] = [];
    this.db.transaction(() => {
      for (const id of ids) if (stmt.run(now, id).changes === 1) claimed.push(id);
    })();
    return claimed;
  }

  async markSent(ids: number[], messageId: string, now: number, batched = false): Promise<void> {
    this.each(
      ids,
      "UPDATE outbox SET status = 'sent', message_id = ?, sent_at = ?, last_error = NULL, batched = ? WHERE id = ? AND status IN ('sending', 'pending')",
      messageId,
      now,
      batched ? 1 : 0,
    );
  }

  async retry(ids: number[], at: number, error: string, refund = false): Promise<void> {
    this.each(
      ids,
      "UPDATE outbox SET status = 'pending', next_attempt_at = ?, last_error = ?, attempts = attempts - ? WHERE id = ? AND status = 'sending'",
      at,
      error,
      refund ? 1 : 0,
    );
  }

  async markFailed(ids: number[], error: string): Promise<void> {
    this.fail(ids, error);
  }

  private fail(ids: number[], error: string): void {
    this.each(
      ids,
      "UPDATE outbox SET status = 'failed', last_error = ? WHERE id = ? AND status = 'sending'",
      error,
    );
  }

  async cancel(ids: number[], reason: string): Promise<void> {
    this.each(
      ids,
      "UPDATE outbox SET status = 'cancelled', last_error = ? WHERE id = ? AND status = 'sending'",
      reason,
    );
  }

  async defer(ids: number[], at: number): Promise<void> {
    this.each(ids, "UPDATE outbox SET next_attempt_at = ? WHERE id = ? AND status = 'pending'", at);
  }

  async release(ids: number[]): Promise<void> {
    this.each(
      ids,
      "UPDATE outbox SET status = 'pending', attempts = attempts - 1 WHERE id = ? AND status = 'sending'",
    );
  }

  async recoverInFlight(): Promise<number> {
    // No refund here: the send may have reached the platform before the crash, so it was a real attempt.
    return this.sql("UPDATE outbox SET status = 'pending' WHERE status = 'sending'").run().changes;
  }

  async disableChannel(
    channelRef: string,
    reason: string,
    failedIds: number[],
  ): Promise<{ tags: TagKey[]; cancelled: number }> {
    return this.db
      .transaction(() => {
        const tags = disableChannelSubscriptions(this.db, channelRef, reason, isoNow(this.clock));
        this.fail(failedIds, reason);
        const cancelled = this.sql(
          `UPDATE outbox SET status = 'cancelled', last_error = ? WHERE channel = ${CHANNEL} AND status = 'pending'`,
        ).run(`subscription disabled: ${reason}`, channelRef).changes;
        return { tags, cancelled };
      })
      .immediate();
  }

  async activity(channelRef: string, since: number): Promise<ChannelActivity> {
    const row = this.sql(
      `SELECT count(*) AS n, max(sent_at) AS last, max(CASE WHEN batched = 1 THEN sent_at END) AS lastBatch
       FROM outbox WHERE channel = ${CHANNEL} AND status = 'sent' AND sent_at >= ?`,
    ).get(channelRef, since) as { n: number; last: number | null; lastBatch: number | null };
    return { sentInWindow: row.n, lastSentAt: row.last, lastBatchAt: row.lastBatch };
  }

  async stories(rowids: number[]): Promise<Map<number, StorySummary>> {
    const map = new Map<number, StorySummary>();
    const stmt = this.sql(`SELECT ${SUMMARY_COLUMNS} FROM stories s WHERE s.rowid = ?`);
    for (const id of new Set(rowids)) {
      const row = stmt.get(id) as StoryRow | undefined;
      if (row) map.set(id, toSummary(row));
    }
    return map;
  }

  async digestOf(deliveryId: number): Promise<{ key: string; payload: DigestPayload } | undefined> {
    return digestRow(this.sql, deliveryId);
  }

  /** The most recent deliveries that gave up, with their reason (for `cyberbrief status`). */
  async failures(limit: number): Promise<FailedDelivery[]> {
    return report.outboxFailures(this.sql, limit);
  }

  async stats(): Promise<OutboxStats> {
    return report.outboxStats(this.db, this.sql);
  }

  async pausePlatform(platform: Platform, reason: string, at: number): Promise<void> {
    report.pausePlatform(this.sql, platform, reason, at);
  }

  async resumePlatform(platform: Platform): Promise<boolean> {
    return report.resumePlatform(this.db, this.sql, platform);
  }

  async platformStates(): Promise<PlatformState[]> {
    return report.platformStates(this.db, this.sql);
  }
}
