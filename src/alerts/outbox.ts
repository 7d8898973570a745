// The Outbox port: what the dispatcher needs from the durable outbox. The store implements it structurally
// (store/sqlite/outbox.ts); the rows it returns are the store's (store/outbox.ts).

import type { Platform } from "../core/platform.js";
import type { StorySummary } from "../core/story.js";
import type { TagKey } from "../core/tags.js";
import type { DigestPayload } from "../store/digests.js";
import type * as rows from "../store/outbox.js";

/**
 * The durable outbox the dispatcher works through. Rows are queued by alerts/routing.ts inside the story's own
 * save transaction; each method here is one short transaction of its own. Every method that touches the
 * database returns a promise, so a networked database can implement it.
 */
export interface Outbox {
  /** Pending rows of one platform due at `now`, oldest first, after the keyset cursor when given. */
  due(
    platform: Platform,
    now: number,
    limit: number,
    after?: { at: number; id: number },
  ): Promise<rows.DueDelivery[]>;
  /** Pending rows of one channel due at `now`, oldest first. */
  dueForChannel(channelRef: string, now: number, limit: number): Promise<rows.DueDelivery[]>;
  /** Earliest next_attempt_at among pending rows of these platforms, or null. */
  nextDueAt(platforms: Platform[]): Promise<number | null>;
  /** pending → sending, counting an attempt; returns the ids actually claimed. */
  claim(ids: number[], now: number): Promise<number[]>;
  /** `batched` when the rows went out together in one digest message (which cannot be edited per story). */
  markSent(ids: number[], messageId: string, now: number, batched?: boolean): Promise<void>;
  /** Back to pending for another try at `at`; `refund` gives back the attempt (a platform outage, not this row). */
  retry(ids: number[], at: number, error: string, refund?: boolean): Promise<void>;
  markFailed(ids: number[], error: string): Promise<void>;
  /** sending → cancelled with the reason: an update made moot (its alert never went out, or will carry it). */
  cancel(ids: number[], reason: string): Promise<void>;
  editTarget(alertId: number): Promise<rows.EditTarget | undefined>;
  /** The alert a thread reply answers, with its story and its event's count of other sources. */
  threadParent(alertId: number): Promise<rows.ThreadParent | undefined>;
  /** The story's tag keys no earlier story of its event had (what a later source adds). */
  addedTags(storyRowid: number): Promise<TagKey[]>;
  /** When the thread of alert `alertId` in the channel last got a reply since `since`, or null. */
  lastThreadReplyAt(alertId: number, channelRef: string, since: number): Promise<number | null>;
  /** Record that the platform refused the token; its rows wait (the dispatcher skips it). */
  pausePlatform(platform: Platform, reason: string, at: number): Promise<void>;
  /** The platform connected with a valid token again; returns whether it had been paused. */
  resumePlatform(platform: Platform): Promise<boolean>;
  platformStates(): Promise<rows.PlatformState[]>;
  /** Pending rows wait until `at` without using an attempt (flood hold). */
  defer(ids: number[], at: number): Promise<void>;
  /** sending → pending without using an attempt: a send abandoned at shutdown. */
  release(ids: number[]): Promise<void>;
  /** Every row left `sending` (by a crash) goes back to pending; returns how many. */
  recoverInFlight(): Promise<number>;
  /**
   * Delivery to the channel failed permanently: its subscriptions are disabled with the reason (audited), the
   * failing rows marked failed and its other pending rows cancelled.
   */
  disableChannel(
    channelRef: string,
    reason: string,
    failedIds: number[],
  ): Promise<{ tags: TagKey[]; cancelled: number }>;
  activity(channelRef: string, since: number): Promise<rows.ChannelActivity>;
  stories(rowids: number[]): Promise<Map<number, StorySummary>>;
  /** A digest row's key and payload (store/digests.ts), for sending it; undefined for any other row. */
  digestOf(deliveryId: number): Promise<{ key: string; payload: DigestPayload } | undefined>;
  /**
   * `listener` hears how many rows were queued, as routing queues them (inside the save transaction, so
   * possibly before they commit: it should only schedule a look). Not a database call; returns an unsubscribe.
   */
  onRouted(listener: (count: number) => void): () => void;
  stats(): Promise<rows.OutboxStats>;
  /** The most recent deliveries that gave up, newest first. */
  failures(limit: number): Promise<rows.FailedDelivery[]>;
}
