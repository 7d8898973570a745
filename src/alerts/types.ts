// What the dispatcher hands a platform and what it needs of one: alerts out, a delivery result or a typed failure.

import type { Reply, StoryCard } from "../core/cards.js";
import type { Platform } from "../core/platform.js";

/** A new story for a channel, with why the channel got it. */
export interface Alert {
  story: StoryCard;
  /** e.g. "subscribed to country:NZ". */
  reason: string;
}

/** What the dispatcher asks an adapter to post. */
export type Outbound =
  | { kind: "alert"; alert: Alert }
  /**
   * A flood summary: `total` stories (default `alerts.length`), of which `alerts` are the first few listed by
   * title; `top` names the actors and countries most of them are about, most frequent first.
   */
  | { kind: "batch"; alerts: Alert[]; reason: string; total?: number; top?: string[] }
  | { kind: "notice"; reply: Reply }
  /**
   * A story already alerted was revised: edit the posted message `messageId` in place with the new alert; without
   * one (the original was a digest, or the platform cannot edit it), post a short "updated" message instead.
   */
  | { kind: "update"; alert: Alert; messageId?: string }
  | SourceReply
  /** One digest: one line per event of the period, most-reported first (see Digest). */
  | { kind: "digest"; digest: Digest };

/**
 * Later sources of an event the channel was alerted to, in one reply: `alert` is the first new source's card
 * (with why the channel follows the event), `others` the further sources gathered into the same reply (a burst
 * of copies), `total` how many in all. Posted in the thread of the message `parent.messageId` (a Slack thread
 * reply; a Discord thread on it, or a reply where threads are not allowed; an indented "+ also reported by"
 * line on the console); that message is then edited to `parent.alert`, whose card counts the event's other
 * sources ("+N sources"). A failed edit does not fail the reply.
 */
export interface SourceReply {
  kind: "source";
  alert: Alert;
  /** What the new sources add to the event: actors and countries no earlier source named ("China (blamed)"). */
  added: string[];
  others: StoryCard[];
  total: number;
  parent: { messageId: string; alert: Alert };
}

/** A digest message: a subscription's events of one period. */
export interface Digest {
  /** The outbox key: subscription and period, e.g. "slack:T1/C1|country:NZ|daily|2026-12-01". */
  key: string;
  /** "Daily digest: country:NZ" or "Weekly digest: all". */
  title: string;
  /** The period in words: "1 Dec 08:00 – 2 Dec 2026 08:00 Europe/Berlin". */
  period: string;
  /** e.g. "subscribed to country:NZ daily at 08:00 UTC". */
  reason: string;
  /**
   * Events of the period, most-reported first, each by its first story; `sources` counts its other stories
   * ("+2 sources"). The adapter shows one line each, as many as its limits allow.
   */
  events: Array<{ story: StoryCard; sources: number }>;
  /** Events in the period in all (more than `events` when the list was cut). */
  total: number;
  /** The command that lists the rest, for "…and 12 more: /cyber country NZ". */
  more: string;
}

export interface Delivered {
  /** The platform's message id (Slack ts, Discord snowflake, console sequence). */
  messageId: string;
}

/**
 * transient: retry later. permanent: the channel is gone (switch its subscriptions off). auth: the platform
 * refused the bot's token, which is true of every channel at once: pause the platform, keep its alerts queued.
 */
export type DeliveryFailureKind = "transient" | "permanent" | "auth";

/** Thrown by `AlertSender.deliver`: the dispatcher retries, disables the channel or pauses the platform by kind. */
export class DeliveryError extends Error {
  constructor(
    readonly kind: DeliveryFailureKind,
    /** Platform code, e.g. "channel_not_found", "10003", "http_503", "timeout". */
    readonly code: string,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "DeliveryError";
  }
}

/** The part of a chat adapter the dispatcher uses: one per platform. `ChatAdapter` (src/chat/types.ts) extends it. */
export interface AlertSender {
  readonly platform: Platform;
  /** Post to a channel reference of this platform. Throws DeliveryError. */
  deliver(channelRef: string, message: Outbound): Promise<Delivered>;
  isConnected(): boolean;
  /**
   * The digest `key` as already posted in the channel's recent history (its message id), or null when it is not
   * there. Asked before a digest is sent again after an attempt whose outcome is unknown (a crash or a timeout
   * while it was being sent), so it is never posted twice. Platforms that cannot look (the console) leave it out.
   * Throws DeliveryError.
   */
  findDigest?(channelRef: string, key: string): Promise<Delivered | null>;
}
