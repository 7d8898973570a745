// The subscription seam: which channel wants which tag, who changed that, and when delivery switched one off.

import type { DigestSchedule } from "../core/digest.js";
import type { Platform } from "../core/platform.js";
import type { TagKey } from "../core/tags.js";

export interface Subscription {
  channelRef: string;
  platform: Platform;
  tag: TagKey;
  createdBy: string;
  createdAt: string;
  /** Set when delivery failed permanently and the subscription was switched off. */
  disabledAt: string | null;
  disabledReason: string | null;
  /** null: each story is posted as it comes (the stream); else the digest's schedule. */
  digest: DigestSchedule | null;
}

/** What a subscribe did: `created` a new subscription, or `switched` an active one to another schedule. */
export interface SubscribeResult {
  created: boolean;
  reenabled?: boolean;
  /** The subscription was active with another schedule: this one (null: the stream) replaced it. */
  switched?: { from: DigestSchedule | null };
}

export interface SubscriptionStore {
  /**
   * `created` is false when the channel already had this tag. Re-enables a disabled subscription. `digest` sets
   * its schedule (null or absent: the stream); another schedule than the active one switches it (audited).
   */
  subscribe(
    channelRef: string,
    tag: TagKey,
    user: string,
    digest?: DigestSchedule | null,
  ): Promise<SubscribeResult>;
  /** `removed` is false when the channel did not have this tag. The history is kept. */
  unsubscribe(channelRef: string, tag: TagKey, user: string): Promise<{ removed: boolean }>;
  /** Active subscriptions of one channel, plus disabled ones (with their reason). */
  subscriptions(channelRef: string): Promise<Subscription[]>;
  /** Switched-off subscriptions of every channel, with their reasons, newest first. */
  disabledSubscriptions(): Promise<Subscription[]>;
  /** The channel's subscribe/unsubscribe/disable audit trail, oldest first. */
  subscriptionHistory(channelRef: string): Promise<SubscriptionEvent[]>;
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

/** Keyword watches one channel may have (active or switched off): the 51st is refused. */
export const MAX_KEYWORDS_PER_CHANNEL = 50;
/** A keyword watch's phrase: at most this many characters and words (routing's cost per watch stays small). */
export const MAX_PHRASE_CHARS = 100;
export const MAX_PHRASE_WORDS = 8;
