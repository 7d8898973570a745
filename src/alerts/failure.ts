// What a failed send does to its rows: retry, fail, disable the channel, hold for an outage or pause the platform.

import type { DueDelivery } from "../store/outbox.js";
import { disabledNotice } from "./alert.js";
import { asDeliveryError, decide, describeFailure, isOutage } from "./retry.js";
import { count, type SendContext, type SendJob, withTimeout } from "./send.js";
import type { DeliveryError } from "./types.js";

export async function failed(
  ctx: SendContext,
  job: SendJob,
  rows: DueDelivery[],
  err: DeliveryError,
): Promise<void> {
  const { outbox, log } = ctx;
  const now = ctx.clock.now();
  const ids = rows.map((r) => r.id);
  const reason = describeFailure(err);
  if (err.code === "timeout") count(ctx, job.platform, "timeouts", 1);
  if (err.kind === "auth") {
    // The token, not this channel: every channel of the platform would fail alike. The rows wait, with their
    // attempt given back, and no subscription is touched. Paused first (in memory, at once), so no pass sends
    // the rows again while they are being handed back.
    const paused = ctx.pause(job.platform, err.message);
    await outbox.retry(ids, now, reason, true);
    await paused;
    return;
  }
  if (err.retryAfterMs !== undefined) {
    count(ctx, job.platform, "rateLimited", 1);
    ctx.pacer.penalise(job.channelRef, now + err.retryAfterMs);
  }
  if (isOutage(err)) {
    const wasOpen = ctx.health.isOpen(job.platform);
    const at = ctx.health.outage(job.platform, now, job.probe);
    if (at !== null) {
      // The platform is down, not this channel: the attempt is given back so an outage cannot use up the limit.
      await outbox.retry(ids, at, reason, true);
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
    await outbox.retry(ids, now + decision.delayMs, reason);
    log.info(
      { channelRef: job.channelRef, attempts, delayMs: decision.delayMs, reason },
      "alerts: will retry",
    );
  } else if (decision.action === "fail") {
    count(ctx, job.platform, "failed", ids.length);
    await outbox.markFailed(ids, decision.reason);
    log.warn({ channelRef: job.channelRef, reason: decision.reason }, "alerts: delivery failed");
  } else {
    count(ctx, job.platform, "failed", ids.length);
    count(ctx, job.platform, "disabled", 1);
    const { tags, cancelled } = await outbox.disableChannel(job.channelRef, decision.reason, ids);
    log.warn(
      { channelRef: job.channelRef, tags, cancelled, reason: decision.reason },
      "alerts: channel unreachable for good; its subscriptions are disabled",
    );
    void notify(ctx, job, decision.reason, tags);
  }
}

/** One try at telling the channel why its alerts stopped; it may well be unreachable, so failure is only logged. */
async function notify(ctx: SendContext, job: SendJob, reason: string, tags: string[]): Promise<void> {
  const paced = ctx.pacer.take(job.platform, job.channelRef, ctx.clock.now());
  try {
    await withTimeout(ctx, job.adapter.deliver(job.channelRef, disabledNotice(reason, tags)));
  } catch (err) {
    ctx.log.debug(
      { channelRef: job.channelRef, err: describeFailure(asDeliveryError(err)) },
      "alerts: notice not posted",
    );
  } finally {
    paced.done(ctx.clock.now());
  }
}
