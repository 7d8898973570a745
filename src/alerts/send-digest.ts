// Sending one digest row: never twice (an earlier attempt that may have posted it is looked up first), built
// from its payload and the stories stored now, posted as a message of its own.

import type { TagKey } from "../core/tags.js";
import type { DueDelivery } from "../store/outbox.js";
import { buildDigest, DIGEST_LINES } from "./digest.js";
import { failed } from "./failure.js";
import { asDeliveryError } from "./retry.js";
import { count, type SendContext, type SendJob, withTimeout } from "./send.js";
import type { Delivered } from "./types.js";

/** Sends the job's one digest row (the dispatcher never batches digests). Never rejects. */
export async function sendDigest(ctx: SendContext, job: SendJob): Promise<void> {
  const row = job.rows[0];
  if (!row) return;
  try {
    const found = await ctx.outbox.digestOf(row.id);
    if (!found) {
      await ctx.outbox.markFailed([row.id], "the digest row has no payload");
      return;
    }
    const posted = await alreadyPosted(ctx, job, row, found.key);
    if (posted) {
      await ctx.outbox.markSent([row.id], posted.messageId, ctx.clock.now());
      ctx.health.reachable(job.platform);
      ctx.log.info(
        { channelRef: job.channelRef, key: found.key, messageId: posted.messageId },
        "alerts: digest was already posted (an attempt cut short); recorded, not sent again",
      );
      return;
    }
    const stories = await ctx.outbox.stories(found.payload.events.slice(0, DIGEST_LINES).map(([e]) => e));
    const digest = buildDigest(found.key, row.tags as TagKey, found.payload, stories);
    if (!digest) {
      await ctx.outbox.markFailed([row.id], "story no longer stored");
      return;
    }
    try {
      const delivered = await withTimeout(
        ctx,
        job.adapter.deliver(job.channelRef, { kind: "digest", digest }),
      );
      await ctx.outbox.markSent([row.id], delivered.messageId, ctx.clock.now());
      ctx.health.reachable(job.platform);
      count(ctx, job.platform, "sent", digest.total);
      count(ctx, job.platform, "messages", 1);
      ctx.log.debug(
        { channelRef: job.channelRef, key: found.key, events: digest.total, messageId: delivered.messageId },
        "alerts: digest sent",
      );
    } catch (err) {
      await failed(ctx, job, [row], asDeliveryError(err));
    }
  } catch (err) {
    if (ctx.isRunning())
      ctx.log.error({ err, channelRef: job.channelRef }, "alerts: could not record a digest");
  }
}

/**
 * The digest as already posted, when the platform can look: an attempt cut short by a crash, a timeout or a
 * shutdown may have reached it. A failed look is logged and the digest sent (at least once beats never).
 */
async function alreadyPosted(
  ctx: SendContext,
  job: SendJob,
  row: DueDelivery,
  key: string,
): Promise<Delivered | null> {
  const find = job.adapter.findDigest?.bind(job.adapter);
  if (!find) return null;
  try {
    return await withTimeout(ctx, find(job.channelRef, key));
  } catch (err) {
    ctx.log.warn(
      { channelRef: job.channelRef, deliveryId: row.id, err: asDeliveryError(err).message },
      "alerts: could not look for an earlier post of a digest; sending it",
    );
    return null;
  }
}
