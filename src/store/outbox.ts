// The outbox rows the store keeps (what must be delivered where, and in what state) and the plain lookups and
// inserts a save transaction offers for queueing them. Which channels a story reaches is decided in alerts/routing.

import type { Platform } from "../core/platform.js";
import type { TagKey } from "../core/tags.js";

export type DeliveryKind = "alert" | "update" | "source" | "digest";

export type DeliveryStatus = "pending" | "sending" | "sent" | "failed" | "cancelled";

/** An outbox row the dispatcher may send now. Times are epoch milliseconds. */
export interface DueDelivery {
  id: number;
  storyRowid: number;
  channelRef: string;
  platform: Platform;
  /**
   * "alert": the story's one alert in this channel; "update": an edit of that alert after a revision; "source": a
   * later source of an event, replying in the thread of the alert row `updateOf`; "digest": a digest, its events
   * in `payload`.
   */
  kind: DeliveryKind;
  /** For an update: the id of the alert row whose posted message it edits. */
  updateOf: number | null;
  /** The channel's tags that matched, e.g. "actor:APT40, country:NZ" (core/tags.ts formatTagList). */
  tags: string;
  attempts: number;
  nextAttemptAt: number;
}

/** A story's outbox row in one channel, as `/cyber why` reports it. Times are epoch milliseconds. */
export interface StoryDelivery {
  kind: DeliveryKind;
  status: DeliveryStatus;
  /** The channel's tags that matched (core/tags.ts formatTagList). */
  tags: string;
  attempts: number;
  createdAt: number;
  sentAt: number | null;
  nextAttemptAt: number;
  lastError: string | null;
  /** For a digest that lists the story's event: its schedule's mode and its period in words. */
  mode?: "daily" | "weekly";
  period?: string;
}

/** What flood control needs to know about a channel's recent alerts. */
export interface ChannelActivity {
  /** Stories delivered to the channel since the window start (a batch counts each of its stories). */
  sentInWindow: number;
  /** When the channel last got anything from the outbox, within the window; null when not. */
  lastSentAt: number | null;
  /** When the channel last got a summary (rows sent together, batched) within the window; null when not. */
  lastBatchAt: number | null;
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

/** A story's alert row in one channel, as a revision sees it. */
export interface QueuedAlert {
  id: number;
  /** The channel's id in the store (its `channels` row): routing names channels by integer. */
  channel: number;
  platform: Platform;
  tags: string;
  status: DeliveryStatus;
  /** An update of this alert is already waiting to go (it will show the latest revision). */
  updatePending: boolean;
}

/**
 * A row to queue: an alert (`updateOf` absent), an edit of the alert row `updateOf`, or with `kind` "source" a
 * reply in the thread of the alert row `updateOf` (a later source of its event).
 */
export interface NewDelivery {
  /** The channel's id, as `subscribers` gives it. */
  channel: number;
  platform: Platform;
  tags: string;
  updateOf?: number;
  kind?: "source";
}

/** A tag's subscribers: their channel ids (ascending) per platform, rather than thousands of small objects. */
export type Subscribers = Array<{ platform: Platform; channels: number[] }>;

/** An event's alert in one channel that later sources reply to (routing's view, inside the save). */
export interface EventAlert {
  id: number;
  channel: number;
  platform: Platform;
  /** The tags that alert matched: why the channel follows the event. */
  tags: string;
  status: DeliveryStatus;
}

/** The alert a thread reply answers: its state, message, story and the event's count of other sources. */
export interface ThreadParent extends EditTarget {
  storyRowid: number;
  tags: string;
  /** Stories of the parent's event besides its first one: what "+N sources" counts. */
  sources: number;
}

/**
 * What a save transaction offers its `onSaved` callback: plain lookups and inserts, with the keys and rows given
 * by the caller. Everything written commits or rolls back with the story. Valid only during the callback, and
 * synchronous, as SQLite transactions are.
 */
export interface OutboxTx {
  /** Whether any channel has an active subscription (streamed or digest): none, and no save queues anything. */
  anyActive(): boolean;
  /** The channels with an active streamed subscription to `key`. */
  subscribers(key: TagKey): Subscribers;
  /**
   * The keys of the active streamed keyword watches ("keyword:electoral commission") whose phrase the story's
   * title or body contains, with full-text search's word forms; its text is read and tokenized once.
   */
  keywordHits(storyRowid: number): TagKey[];
  /** Which of these channels have at least one active subscription (to any tag). */
  activeChannels(channels: readonly number[]): Set<number>;
  /** The story's alert rows in every channel. */
  alertsOf(storyRowid: number): QueuedAlert[];
  /**
   * The live alerts of the event named by `eventRowid` (any of its stories' alert rows, pending, sending or sent,
   * created within the last `withinMs` by the store's clock): the newest per channel.
   */
  eventAlerts(eventRowid: number, withinMs: number): EventAlert[];
  /**
   * Adds pending rows for the story, in order. An alert for a channel that already has the story's alert is
   * left out (one alert per story per channel). Returns how many rows were added.
   */
  queue(storyRowid: number, rows: readonly NewDelivery[]): number;
}
