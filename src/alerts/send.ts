// One send: builds the message from stored stories, posts it with a timeout, and records what happened.

import type { Clock, Timers } from "../core/clock.js";
import type { Platform } from "../core/platform.js";
import type { StorySummary } from "../core/story.js";
import type { Logger } from "../log/logger.js";
import type { DueDelivery } from "../store/outbox.js";
import { buildAlert, buildBatch, buildUpdate } from "./alert.js";
import { failed } from "./failure.js";
import type { PlatformHealth } from "./health.js";
import type { Outbox } from "./outbox.js";
import type { Pacer } from "./pacer.js";
import { asDeliveryError, type RetryPolicy } from "./retry.js";
import { sourceMessage } from "./source.js";
import { type AlertSender as ChatAdapter, DeliveryError, type Outbound } from "./types.js";

export { realTimers, type Timers } from "../core/clock.js";

export interface Counters {
  /** Stories delivered (a digest counts each of its stories). */
  sent: number;
  messages: number;
  batches: number;
  retried: number;
  failed: number;
  disabled: number;
  /** Failures carrying a retry-after: the platform's 429s that reached the dispatcher. */
  rateLimited: number;
  timeouts: number;
  /** Revisions shown to channels that already had the story (edits, or "updated" posts after a digest). */
  updated: number;
}

export const newCounters = (): Counters => ({
  sent: 0,
  messages: 0,
  batches: 0,
  retried: 0,
  failed: 0,
  disabled: 0,
  rateLimited: 0,
  timeouts: 0,
  updated: 0,
});

export interface SendContext {
  outbox: Outbox;
  log: Logger;
  clock: Clock;
  timers: Timers;
  random: () => number;
  policy: RetryPolicy;
  sendTimeoutMs: number;
  pacer: Pacer;
  health: PlatformHealth;
  counters: Counters;
  /** Sees every count as it happens, by platform (metrics). */
  onCount?: (platform: Platform, key: keyof Counters, n: number) => void;
  isRunning: () => boolean;
  /**
   * The platform refused the bot's token: hold all its deliveries (logged and recorded once). The hold starts
   * at the call; the promise settles once it is recorded.
   */
  pause: (platform: Platform, reason: string) => Promise<void>;
}

export interface SendJob {
  platform: Platform;
  adapter: ChatAdapter;
  channelRef: string;
  rows: DueDelivery[];
  batch: boolean;
  /** The one send let through while the platform's circuit is open. */
  probe: boolean;
}

/** A hung request must not hold the channel forever; a late success after this is the documented duplicate. */
export function withTimeout<T>(ctx: SendContext, work: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = ctx.timers.setTimeout(
      () => reject(new DeliveryError("transient", "timeout", `no answer within ${ctx.sendTimeoutMs} ms`)),
      ctx.sendTimeoutMs,
    );
    work.then(
      (v) => {
        ctx.timers.clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        ctx.timers.clearTimeout(t);
        reject(e);
      },
    );
  });
}

export async function sendMessage(ctx: SendContext, job: SendJob): Promise<void> {
  const { outbox, log } = ctx;
  try {
    const stories = await outbox.stories(job.rows.map((r) => r.storyRowid));
    const rows: DueDelivery[] = [];
    const items: Array<{ story: StorySummary; tags: string }> = [];
    for (const r of job.rows) {
      const story = stories.get(r.storyRowid);
      if (story) {
        rows.push(r);
        items.push({ story, tags: r.tags });
      }
    }
    if (rows.length < job.rows.length) {
      const kept = new Set(rows);
      await outbox.markFailed(
        job.rows.filter((r) => !kept.has(r)).map((r) => r.id),
        "story no longer stored",
      );
    }
    const first = items[0];
    const row = rows[0];
    if (!first || !row) return;
    let message: Outbound;
    if (row.kind === "update") {
      const update = await updateMessage(ctx, row, first);
      if (!update) return;
      message = update;
    } else if (row.kind === "source") {
      const reply = await sourceMessage(ctx, rows, items);
      if (!reply) return;
      message = reply;
    } else {
      message =
        job.batch && items.length > 1
          ? buildBatch(items)
          : { kind: "alert", alert: buildAlert(first.story, first.tags) };
    }
    // A summary and a thread reply carry every row they were built from; anything else the first.
    const ids = (message.kind === "batch" || message.kind === "source" ? rows : rows.slice(0, 1)).map(
      (r) => r.id,
    );
    try {
      const delivered = await withTimeout(ctx, job.adapter.deliver(job.channelRef, message));
      await outbox.markSent(ids, delivered.messageId, ctx.clock.now(), message.kind === "batch");
      ctx.health.reachable(job.platform);
      count(ctx, job.platform, message.kind === "update" ? "updated" : "sent", ids.length);
      count(ctx, job.platform, "messages", 1);
      if (message.kind === "batch") count(ctx, job.platform, "batches", 1);
      log.debug(
        { channelRef: job.channelRef, deliveries: ids.length, messageId: delivered.messageId },
        message.kind === "update"
          ? "alerts: revision sent"
          : message.kind === "source"
            ? "alerts: thread reply sent"
            : "alerts: sent",
      );
    } catch (err) {
      await failed(
        ctx,
        job,
        rows.filter((r) => ids.includes(r.id)),
        asDeliveryError(err),
      );
    }
  } catch (err) {
    // After stop() the store may be closed under a late send; the rows were handed back as pending already.
    if (ctx.isRunning()) log.error({ err, channelRef: job.channelRef }, "alerts: could not record a send");
  }
}

/**
 * The edit of an alert already posted, or null when there is nothing to edit: an alert that was never
 * delivered, or that is pending again, will itself carry the latest revision when it goes.
 */
async function updateMessage(
  ctx: SendContext,
  row: DueDelivery,
  item: { story: StorySummary; tags: string },
): Promise<Outbound | null> {
  const target = row.updateOf === null ? undefined : await ctx.outbox.editTarget(row.updateOf);
  if (target?.status !== "sent") {
    await ctx.outbox.cancel(
      [row.id],
      "superseded: the alert itself carries the revision, or was not delivered",
    );
    return null;
  }
  // A digest holds many stories in one message: it is not edited, the channel gets a short "updated" post.
  const messageId = target.batched || !target.messageId ? undefined : target.messageId;
  return { kind: "update", alert: buildUpdate(item.story, item.tags), ...(messageId ? { messageId } : {}) };
}

export function count(ctx: SendContext, platform: Platform, key: keyof Counters, n: number): void {
  ctx.counters[key] += n;
  ctx.onCount?.(platform, key, n);
}
