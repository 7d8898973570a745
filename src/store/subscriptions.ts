// The subscription and outbox seam: which channel wants which tag, and what must be delivered where.

import type { Platform } from "../core/platform.js";
import type { StorySummary } from "../core/story.js";

/** Canonical subscription tag keys: "actor:APT40", "country:NZ", "sponsor:CN" or "all". */
export type TagKey = string;

export type SubscriptionTag =
  | { kind: "actor"; id: string }
  | { kind: "country"; code: string }
  | { kind: "sponsor"; code: string }
  | { kind: "all" };

export function tagKey(tag: SubscriptionTag): TagKey {
  switch (tag.kind) {
    case "actor":
      return `actor:${tag.id}`;
    case "country":
      return `country:${tag.code.toUpperCase()}`;
    case "sponsor":
      return `sponsor:${tag.code.toUpperCase()}`;
    case "all":
      return "all";
  }
}

export interface Subscription {
  channelRef: string;
  platform: Platform;
  tag: TagKey;
  createdBy: string;
  createdAt: string;
  /** Set when delivery failed permanently and the subscription was switched off. */
  disabledAt: string | null;
  disabledReason: string | null;
}

export interface SubscriptionStore {
  /** `created` is false when the channel already had this tag. Re-enables a disabled subscription. */
  subscribe(
    channelRef: string,
    tag: TagKey,
    user: string,
  ): Promise<{ created: boolean; reenabled?: boolean }>;
  /** `removed` is false when the channel did not have this tag. The history is kept. */
  unsubscribe(channelRef: string, tag: TagKey, user: string): Promise<{ removed: boolean }>;
  /** Active subscriptions of one channel, plus disabled ones (with their reason). */
  subscriptions(channelRef: string): Promise<Subscription[]>;
}

export type SubscriptionAction = "subscribe" | "unsubscribe" | "disable";

/** One line of a channel's audit trail; never deleted, so who changed what stays known. */
export interface SubscriptionEvent {
  channelRef: string;
  tag: TagKey;
  action: SubscriptionAction;
  /** The user, or "cyberbrief" when delivery switched the subscription off. */
  user: string;
  at: string;
  reason: string | null;
}

export type DeliveryStatus = "pending" | "sending" | "sent" | "failed" | "cancelled";

/** An outbox row the dispatcher may send now. Times are epoch milliseconds. */
export interface DueDelivery {
  id: number;
  storyRowid: number;
  channelRef: string;
  platform: Platform;
  /** "alert": the story's one alert in this channel; "update": an edit of that alert after a revision. */
  kind: "alert" | "update";
  /** For an update: the id of the alert row whose posted message it edits. */
  updateOf: number | null;
  /** The channel's tags that matched, e.g. "actor:APT40, country:NZ". */
  tags: string;
  attempts: number;
  nextAttemptAt: number;
}

/** What flood control needs to know about a channel's recent alerts. */
export interface ChannelActivity {
  /** Stories delivered to the channel since the window start (a batch counts each of its stories). */
  sentInWindow: number;
  /** When the channel last got anything from the outbox, within the window; null when not. */
  lastSentAt: number | null;
}

export interface FailedDelivery {
  channelRef: string;
  storyId: string;
  title: string;
  attempts: number;
  error: string;
}

/** The alert an update edits: its state, the platform's message id, and whether it went out inside a digest. */
export interface EditTarget {
  status: DeliveryStatus;
  messageId: string | null;
  batched: boolean;
}

/** A platform whose deliveries are held because it refused the bot's token while running. */
export interface PlatformState {
  platform: Platform;
  state: "paused";
  reason: string;
  /** Epoch milliseconds. */
  since: number;
}

export interface OutboxStats {
  pending: number;
  sending: number;
  failed: number;
  sent: number;
  cancelled: number;
  /** Created time of the oldest pending delivery (epoch ms), or null when none: how far behind delivery is. */
  oldestPendingAt: number | null;
  activeSubscriptions: number;
  disabledSubscriptions: number;
}

/**
 * The durable outbox the dispatcher works through. Rows are written by routing in the story's own save
 * transaction; every method here is one short synchronous transaction on the local database.
 */
export interface Outbox {
  /** Pending rows of one platform due at `now`, oldest first, after the keyset cursor when given. */
  due(platform: Platform, now: number, limit: number, after?: { at: number; id: number }): DueDelivery[];
  /** Pending rows of one channel due at `now`, oldest first. */
  dueForChannel(channelRef: string, now: number, limit: number): DueDelivery[];
  /** Earliest next_attempt_at among pending rows of these platforms, or null. */
  nextDueAt(platforms: Platform[]): number | null;
  /** pending → sending, counting an attempt; returns the ids actually claimed. */
  claim(ids: number[], now: number): number[];
  /** `batched` when the rows went out together in one digest message (which cannot be edited per story). */
  markSent(ids: number[], messageId: string, now: number, batched?: boolean): void;
  /** Back to pending for another try at `at`; `refund` gives back the attempt (a platform outage, not this row). */
  retry(ids: number[], at: number, error: string, refund?: boolean): void;
  markFailed(ids: number[], error: string): void;
  /** sending → cancelled with the reason: an update made moot (its alert never went out, or will carry it). */
  cancel(ids: number[], reason: string): void;
  /**
   * A stored story was revised: queue an update for every channel its alert went (or is going) to, unless one
   * is already pending. Runs inside the save transaction; returns how many rows were added.
   */
  queueUpdates(storyRowid: number): number;
  editTarget(alertId: number): EditTarget | undefined;
  /** Record that the platform refused the token; its rows wait (the dispatcher skips it). */
  pausePlatform(platform: Platform, reason: string, at: number): void;
  /** The platform connected with a valid token again; returns whether it had been paused. */
  resumePlatform(platform: Platform): boolean;
  platformStates(): PlatformState[];
  /** Pending rows wait until `at` without using an attempt (flood hold). */
  defer(ids: number[], at: number): void;
  /** sending → pending without using an attempt: a send abandoned at shutdown. */
  release(ids: number[]): void;
  /** Every row left `sending` (by a crash) goes back to pending; returns how many. */
  recoverInFlight(): number;
  /**
   * Delivery to the channel failed permanently: its subscriptions are disabled with the reason (audited), the
   * failing rows marked failed and its other pending rows cancelled.
   */
  disableChannel(
    channelRef: string,
    reason: string,
    failedIds: number[],
  ): { tags: TagKey[]; cancelled: number };
  activity(channelRef: string, since: number): ChannelActivity;
  stories(rowids: number[]): Map<number, StorySummary>;
  /** Called (synchronously, inside the save transaction) when routing queued deliveries. Returns an unsubscribe. */
  onRouted(listener: (count: number) => void): () => void;
  stats(): OutboxStats;
  /** The most recent deliveries that gave up, newest first. */
  failures(limit: number): FailedDelivery[];
}
