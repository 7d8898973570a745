// One send: builds the message from stored stories, posts it with a timeout, and records what happened.

import { type ChatAdapter, DeliveryError, type Outbound, type Platform } from "../chat/types.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../log/logger.js";
import type { DueDelivery, Outbox } from "../store/subscriptions.js";
import type { StorySummary } from "../store/types.js";
import { buildAlert, buildBatch, disabledNotice } from "./alert.js";
import type { PlatformHealth } from "./health.js";
import type { Pacer } from "./pacer.js";
import { asDeliveryError, decide, describeFailure, isOutage, type RetryPolicy } from "./retry.js";

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

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
    const stories = outbox.stories(job.rows.map((r) => r.storyRowid));
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
      outbox.markFailed(
        job.rows.filter((r) => !kept.has(r)).map((r) => r.id),
        "story no longer stored",
      );
    }
    const first = items[0];
    if (!first) return;
    const message: Outbound =
      job.batch && items.length > 1
        ? buildBatch(items)
        : { kind: "alert", alert: buildAlert(first.story, first.tags) };
    const ids = (job.batch ? rows : rows.slice(0, 1)).map((r) => r.id);
    try {
      const delivered = await withTimeout(ctx, job.adapter.deliver(job.channelRef, message));
      outbox.markSent(ids, delivered.messageId, ctx.clock.now());
      ctx.health.reachable(job.platform);
      count(ctx, job.platform, "sent", ids.length);
      count(ctx, job.platform, "messages", 1);
      if (message.kind === "batch") count(ctx, job.platform, "batches", 1);
      log.debug(
        { channelRef: job.channelRef, deliveries: ids.length, messageId: delivered.messageId },
        "alerts: sent",
      );
    } catch (err) {
      failed(
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

function count(ctx: SendContext, platform: Platform, key: keyof Counters, n: number): void {
  ctx.counters[key] += n;
  ctx.onCount?.(platform, key, n);
}

function failed(ctx: SendContext, job: SendJob, rows: DueDelivery[], err: DeliveryError): void {
  const { outbox, log } = ctx;
  const now = ctx.clock.now();
  const ids = rows.map((r) => r.id);
  const reason = describeFailure(err);
  if (err.code === "timeout") count(ctx, job.platform, "timeouts", 1);
  if (err.retryAfterMs !== undefined) {
    count(ctx, job.platform, "rateLimited", 1);
    ctx.pacer.penalise(job.channelRef, now + err.retryAfterMs);
  }
  if (isOutage(err)) {
    const wasOpen = ctx.health.isOpen(job.platform);
    const at = ctx.health.outage(job.platform, now, job.probe);
    if (at !== null) {
      // The platform is down, not this channel: the attempt is given back so an outage cannot use up the limit.
      outbox.retry(ids, at, reason, true);
      if (!wasOpen)
        log.warn({ platform: job.platform, reason }, "alerts: platform unreachable; holding its alerts");
      return;
    }
  } else {
    ctx.health.reachable(job.platform);
  }
  // The claim counted this attempt in the database; the rows in hand still carry the count from before it.
  const attempts = Math.max(...rows.map((r) => r.attempts)) + 1;
  const decision = decide(err, attempts, ctx.policy, ctx.random);
  if (decision.action === "retry") {
    count(ctx, job.platform, "retried", ids.length);
    outbox.retry(ids, now + decision.delayMs, reason);
    log.info(
      { channelRef: job.channelRef, attempts, delayMs: decision.delayMs, reason },
      "alerts: will retry",
    );
  } else if (decision.action === "fail") {
    count(ctx, job.platform, "failed", ids.length);
    outbox.markFailed(ids, decision.reason);
    log.warn({ channelRef: job.channelRef, reason: decision.reason }, "alerts: delivery failed");
  } else {
    count(ctx, job.platform, "failed", ids.length);
    count(ctx, job.platform, "disabled", 1);
    const { tags, cancelled } = outbox.disableChannel(job.channelRef, decision.reason, ids);
    log.warn(
      { channelRef: job.channelRef, tags, cancelled, reason: decision.reason },
      "alerts: channel unreachable for good; its subscriptions are disabled",
    );
    void notify(ctx, job, decision.reason, tags);
  }
}

/** One try at telling the channel why its alerts stopped; it may well be unreachable, so failure is only logged. */
async function notify(ctx: SendContext, job: SendJob, reason: string, tags: string[]): Promise<void> {
  ctx.pacer.take(job.platform, job.channelRef, ctx.clock.now());
  try {
    await withTimeout(ctx, job.adapter.deliver(job.channelRef, disabledNotice(reason, tags)));
  } catch (err) {
    ctx.log.debug(
      { channelRef: job.channelRef, err: describeFailure(asDeliveryError(err)) },
      "alerts: notice not posted",
    );
  }
}
