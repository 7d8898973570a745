// Subscriptions on PostgreSQL: one row per (channel, tag) with its state, plus the append-only audit trail; the
// rules are store/sqlite/subscriptions.ts's. Cancelling queued deliveries a change no longer wants comes with
// this store's outbox.

import type pg from "pg";
import { type Clock, isoNow } from "../../core/clock.js";
import type { DigestSchedule } from "../../core/digest.js";
import { parseChannelRef } from "../../core/platform.js";
import type { TagKey } from "../../core/tags.js";
import {
  type SubRow,
  sameSchedule,
  scheduleOf,
  scheduleReason,
  toSubscription,
} from "../sqlite/subscriptions.js";
import type {
  SubscribeResult,
  Subscription,
  SubscriptionAction,
  SubscriptionEvent,
  SubscriptionStore,
} from "../subscriptions.js";
import { inTransaction, type Tx } from "./open.js";

async function logEvent(
  tx: Tx,
  channelRef: string,
  tag: TagKey,
  action: SubscriptionAction,
  user: string,
  at: string,
  reason: string | null = null,
): Promise<void> {
  await tx.query(
    `INSERT INTO subscription_events (channel_ref, tag, action, "user", at, reason) VALUES ($1, $2, $3, $4, $5, $6)`,
    [channelRef, tag, action, user, at, reason],
  );
}

export class PgSubscriptions implements SubscriptionStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly clock: Clock,
  ) {}

  /** The row, locked for this transaction: two replicas changing one subscription take turns. */
  private async row(tx: Tx, channelRef: string, tag: TagKey): Promise<SubRow | undefined> {
    const found = await tx.query<SubRow>(
      "SELECT * FROM subscriptions WHERE channel_ref = $1 AND tag = $2 FOR UPDATE",
      [channelRef, tag],
    );
    return found.rows[0];
  }

  async subscribe(
    channelRef: string,
    tag: TagKey,
    user: string,
    digest: DigestSchedule | null = null,
  ): Promise<SubscribeResult> {
    const platform = parseChannelRef(channelRef)?.platform;
    if (!platform) throw new Error(`Not a channel reference: ${channelRef}`);
    const now = isoNow(this.clock);
    const mode = digest?.mode ?? "stream";
    const at = digest?.at ?? null;
    return inTransaction(this.pool, async (tx): Promise<SubscribeResult> => {
      // A first subscribe of two replicas at once: the row exists (inserted or not) before either reads it.
      await tx.query(
        `INSERT INTO subscriptions (channel_ref, tag, platform, state, created_by, created_at, mode, at)
         VALUES ($1, $2, $3, 'removed', $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
        [channelRef, tag, platform, user, now, mode, at],
      );
      const prev = await this.row(tx, channelRef, tag);
      if (prev?.state === "active") {
        const from = scheduleOf(prev);
        if (sameSchedule(from, digest)) return { created: false };
        await tx.query("UPDATE subscriptions SET mode = $1, at = $2 WHERE channel_ref = $3 AND tag = $4", [
          mode,
          at,
          channelRef,
          tag,
        ]);
        await logEvent(tx, channelRef, tag, "subscribe", user, now, scheduleReason(digest));
        return { created: false, switched: { from } };
      }
      await tx.query(
        `UPDATE subscriptions SET state = 'active', platform = $3, created_by = $4, created_at = $5,
           disabled_at = NULL, disabled_reason = NULL, mode = $6, at = $7
         WHERE channel_ref = $1 AND tag = $2`,
        [channelRef, tag, platform, user, now, mode, at],
      );
      await logEvent(tx, channelRef, tag, "subscribe", user, now, digest ? scheduleReason(digest) : null);
      return prev?.state === "disabled" ? { created: true, reenabled: true } : { created: true };
    });
  }

  async unsubscribe(channelRef: string, tag: TagKey, user: string): Promise<{ removed: boolean }> {
    const now = isoNow(this.clock);
    return inTransaction(this.pool, async (tx) => {
      const prev = await this.row(tx, channelRef, tag);
      if (!prev || prev.state === "removed") return { removed: false };
      await tx.query("UPDATE subscriptions SET state = 'removed' WHERE channel_ref = $1 AND tag = $2", [
        channelRef,
        tag,
      ]);
      await logEvent(tx, channelRef, tag, "unsubscribe", user, now);
      return { removed: true };
    });
  }

  async subscriptions(channelRef: string): Promise<Subscription[]> {
    const rows = await this.pool.query<SubRow>(
      "SELECT * FROM subscriptions WHERE channel_ref = $1 AND state != 'removed' ORDER BY tag COLLATE \"C\"",
      [channelRef],
    );
    return rows.rows.map(toSubscription);
  }

  async disabledSubscriptions(): Promise<Subscription[]> {
    const rows = await this.pool.query<SubRow>(
      `SELECT * FROM subscriptions WHERE state = 'disabled'
       ORDER BY disabled_at DESC, channel_ref COLLATE "C", tag COLLATE "C"`,
    );
    return rows.rows.map(toSubscription);
  }

  async subscriptionHistory(channelRef: string): Promise<SubscriptionEvent[]> {
    const rows = await this.pool.query<Record<string, string | null>>(
      "SELECT * FROM subscription_events WHERE channel_ref = $1 ORDER BY id",
      [channelRef],
    );
    return rows.rows.map((r) => ({
      channelRef: r.channel_ref as string,
      tag: r.tag as TagKey,
      action: r.action as SubscriptionAction,
      user: r.user as string,
      at: r.at as string,
      reason: r.reason ?? null,
    }));
  }
}
