// The delivery outbox on PostgreSQL, for several replicas: each claims due rows with FOR UPDATE SKIP LOCKED and a
// lease, so two replicas never send the same row, and the claims of a replica that died lapse and are taken again.
// Every state change after a claim is made only by the claimant. Reads for threads and reports: outbox-reads.ts.

import type pg from "pg";
import { type Clock, isoNow, systemClock } from "../../core/clock.js";
import type { Platform } from "../../core/platform.js";
import type { TagKey } from "../../core/tags.js";
import type { DueDelivery } from "../outbox.js";
import { SYSTEM_USER } from "../sqlite/subscriptions.js";
import { inTransaction } from "./open.js";
import { PgOutboxReads } from "./outbox-reads.js";
import { insertDeliveries } from "./route-fetch.js";

const DUE_COLUMNS = `id, story_rowid AS "storyRowid", channel_ref AS "channelRef", platform, kind,
  update_of AS "updateOf", tags, attempts, next_attempt_at AS "nextAttemptAt"`;

export interface PgOutboxOptions {
  /** This replica's name on the rows it claims (e.g. host:pid). */
  holder: string;
  /** How long a claim lasts: longer than any one send with its retries and rate-limit waits (default 2 min). */
  leaseMs?: number;
  clock?: Clock;
}

/** A row to queue directly (routing's inserts, digests): an alert unless `kind` says otherwise. */
export interface PgNewDelivery {
  storyRowid: number | null;
  channelRef: string;
  platform: Platform;
  tags: string;
  kind?: "alert" | "update" | "source";
  updateOf?: number;
}

/** Implements alerts/outbox.ts `Outbox` structurally, as the SQLite outbox does. */
export class PgOutbox extends PgOutboxReads {
  private readonly listeners = new Set<(count: number) => void>();
  private readonly holder: string;
  private readonly leaseMs: number;
  private readonly clock: Clock;

  constructor(pool: pg.Pool, opts: PgOutboxOptions) {
    super(pool);
    this.holder = opts.holder;
    this.leaseMs = opts.leaseMs ?? 120_000;
    this.clock = opts.clock ?? systemClock;
  }

  onRouted(listener: (count: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells the onRouted listeners that `count` rows were queued (a save's routing once it commits, or a digest). */
  announce(count: number): void {
    for (const l of this.listeners) l(count);
  }

  /** Queues rows (one alert per story and channel: a second is left out); returns how many were added. */
  async queue(rows: readonly PgNewDelivery[], now = this.clock.now()): Promise<number> {
    if (rows.length === 0) return 0;
    const added = await insertDeliveries(this.pool, rows, now);
    this.announce(added);
    return added;
  }

  /** Claims of any replica whose lease has lapsed go back to pending (the attempt is kept: the send may have gone). */
  async expireLeases(platform?: Platform): Promise<number> {
    const r = await this.pool.query(
      `UPDATE deliveries SET status = 'pending', claimed_by = NULL, lease_until = NULL
       WHERE status = 'sending' AND lease_until < $1 AND ($2::text IS NULL OR platform = $2)`,
      [this.clock.now(), platform ?? null],
    );
    return r.rowCount ?? 0;
  }

  async due(
    platform: Platform,
    now: number,
    limit: number,
    after?: { at: number; id: number },
  ): Promise<DueDelivery[]> {
    await this.expireLeases(platform);
    const a = after ?? { at: Number.MIN_SAFE_INTEGER, id: 0 };
    const r = await this.pool.query<DueDelivery>(
      `SELECT ${DUE_COLUMNS} FROM deliveries WHERE status = 'pending' AND platform = $1 AND next_attempt_at <= $2
       AND (next_attempt_at, id) > ($3, $4) ORDER BY next_attempt_at, id LIMIT $5`,
      [platform, now, a.at, a.id, limit],
    );
    return r.rows;
  }

  async dueForChannel(channelRef: string, now: number, limit: number): Promise<DueDelivery[]> {
    const r = await this.pool.query<DueDelivery>(
      `SELECT ${DUE_COLUMNS} FROM deliveries WHERE channel_ref = $1 AND status = 'pending' AND next_attempt_at <= $2
       ORDER BY id LIMIT $3`,
      [channelRef, now, limit],
    );
    return r.rows;
  }

  async nextDueAt(platforms: Platform[]): Promise<number | null> {
    const r = await this.pool.query<{ at: number | null }>(
      `SELECT least(
         (SELECT min(next_attempt_at) FROM deliveries WHERE status = 'pending' AND platform = ANY($1)),
         (SELECT min(lease_until) FROM deliveries WHERE status = 'sending' AND platform = ANY($1))) AS at`,
      [platforms],
    );
    return r.rows[0]?.at ?? null;
  }

  /**
   * pending → sending for this replica, counting an attempt: rows another replica holds locked or has claimed
   * are skipped, never waited for. Returns the ids claimed, in the order given.
   */
  async claim(ids: number[], now: number): Promise<number[]> {
    const r = await this.pool.query<{ id: number }>(
      `UPDATE deliveries SET status = 'sending', attempts = attempts + 1, next_attempt_at = $2,
         claimed_by = $3, lease_until = $4
       WHERE id IN (SELECT id FROM deliveries WHERE id = ANY($1) AND status = 'pending' FOR UPDATE SKIP LOCKED)
       RETURNING id`,
      [ids, now, this.holder, now + this.leaseMs],
    );
    const got = new Set(r.rows.map((row) => row.id));
    return ids.filter((id) => got.has(id));
  }

  /** Rows this replica claimed (a lapsed claim taken by another replica is no longer this one's to settle). */
  private mine(extra = ""): string {
    return `id = ANY($1) AND ((status = 'sending' AND claimed_by = $2)${extra})`;
  }

  async markSent(ids: number[], messageId: string, now: number, batched = false): Promise<void> {
    await this.pool.query(
      `UPDATE deliveries SET status = 'sent', message_id = $3, sent_at = $4, last_error = NULL, batched = $5,
         claimed_by = NULL, lease_until = NULL WHERE ${this.mine(" OR status = 'pending'")}`,
      [ids, this.holder, messageId, now, batched ? 1 : 0],
    );
  }

  async retry(ids: number[], at: number, error: string, refund = false): Promise<void> {
    await this.pool.query(
      `UPDATE deliveries SET status = 'pending', next_attempt_at = $3, last_error = $4, attempts = attempts - $5,
         claimed_by = NULL, lease_until = NULL WHERE ${this.mine()}`,
      [ids, this.holder, at, error, refund ? 1 : 0],
    );
  }

  async markFailed(ids: number[], error: string): Promise<void> {
    await this.settle(ids, "failed", error);
  }

  async cancel(ids: number[], reason: string): Promise<void> {
    await this.settle(ids, "cancelled", reason);
  }

  private async settle(
    ids: number[],
    status: "failed" | "cancelled",
    error: string,
    tx: Pick<pg.Pool, "query"> = this.pool,
  ) {
    await tx.query(
      `UPDATE deliveries SET status = $3, last_error = $4, claimed_by = NULL, lease_until = NULL WHERE ${this.mine()}`,
      [ids, this.holder, status, error],
    );
  }

  async defer(ids: number[], at: number): Promise<void> {
    await this.pool.query(
      "UPDATE deliveries SET next_attempt_at = $2 WHERE id = ANY($1) AND status = 'pending'",
      [ids, at],
    );
  }

  async release(ids: number[]): Promise<void> {
    await this.pool.query(
      `UPDATE deliveries SET status = 'pending', attempts = attempts - 1, claimed_by = NULL, lease_until = NULL
       WHERE ${this.mine()}`,
      [ids, this.holder],
    );
  }

  /**
   * At start-up: this replica's own claims from before a restart go back to pending, and so do lapsed claims of
   * any replica. Claims of replicas still running are theirs (SQLite's "everything in flight is mine" would
   * take them).
   */
  async recoverInFlight(): Promise<number> {
    const r = await this.pool.query(
      `UPDATE deliveries SET status = 'pending', claimed_by = NULL, lease_until = NULL
       WHERE status = 'sending' AND (claimed_by = $1 OR lease_until < $2)`,
      [this.holder, this.clock.now()],
    );
    return r.rowCount ?? 0;
  }

  async disableChannel(
    channelRef: string,
    reason: string,
    failedIds: number[],
  ): Promise<{ tags: TagKey[]; cancelled: number }> {
    return inTransaction(this.pool, async (tx) => {
      const at = isoNow(this.clock);
      const tags = (
        await tx.query<{ tag: TagKey }>(
          `UPDATE subscriptions SET state = 'disabled', disabled_at = $2, disabled_reason = $3
           WHERE channel_ref = $1 AND state = 'active' RETURNING tag`,
          [channelRef, at, reason],
        )
      ).rows
        .map((r) => r.tag)
        .sort();
      await tx.query(
        `INSERT INTO subscription_events (channel_ref, tag, action, "user", at, reason)
         SELECT $1, tag, 'disable', $5, $2, $3 FROM unnest($4::text[]) AS tag ORDER BY tag`,
        [channelRef, at, reason, tags, SYSTEM_USER],
      );
      await this.settle(failedIds, "failed", reason, tx);
      const cancelled = await tx.query(
        "UPDATE deliveries SET status = 'cancelled', last_error = $2 WHERE channel_ref = $1 AND status = 'pending'",
        [channelRef, `subscription disabled: ${reason}`],
      );
      return { tags, cancelled: cancelled.rowCount ?? 0 };
    });
  }
}
