// The seam between the bot and a chat platform: neutral commands in, neutral replies and alerts out.
// Nothing here knows Slack, Discord or the console; each adapter renders these objects itself.

import type { CountryRole } from "../core/article.js";
import { CyberbriefError } from "../core/errors.js";
import type { Platform } from "../core/platform.js";

export type { Platform };

/** A permission decision for changing a channel's subscriptions. */
export interface PermissionDecision {
  allowed: boolean;
  /** What the user would need, said politely, e.g. "the Manage Channels permission in this channel". */
  needed: string;
}

/** `/cyber ...` as typed, normalised across platforms. */
export interface ChatCommand {
  platform: Platform;
  /** Slack team id, Discord guild id, or "local" for the console. */
  workspace: string;
  channel: string;
  /** Channel reference: "slack:T1/C2", "discord:G1/C2", "console:local". */
  channelRef: string;
  user: string;
  userName?: string;
  /** The text after `/cyber`, e.g. "apt40" or "subscribe country:nz". */
  text: string;
  /** Asked only by commands that change the channel's subscriptions. */
  canManageSubscriptions: () => Promise<PermissionDecision>;
}

export interface ActorRef {
  id: string;
  name: string;
  /** The alias the article used, when it differs from the canonical name. */
  alias?: string;
}

export interface CountryRef {
  code: string;
  name: string;
  roles: CountryRole[];
  /** Regional indicator flag emoji. */
  flag: string;
}

/** One story as shown in a reply or an alert. */
export interface StoryCard {
  /** Short id that `/cyber story <id>` accepts. */
  id: string;
  date: string;
  dateEstimated: boolean;
  title: string;
  summary: string;
  actors: ActorRef[];
  countries: CountryRef[];
  /** File name or URL the story came from. */
  source: string;
  url: string | null;
  /** A line specific to the question, e.g. "New Zealand: mentioned" or "blamed". */
  note?: string;
}

export interface ReplyField {
  label: string;
  value: string;
  inline?: boolean;
}

export type ReplyKind = "answer" | "help" | "usage" | "empty" | "refused" | "error" | "notice";

/** A platform-neutral answer to a command. */
export interface Reply {
  kind: ReplyKind;
  headline: string;
  /** Paragraphs of plain text (no markup; adapters escape it). */
  text: string[];
  fields: ReplyField[];
  stories: StoryCard[];
  /** A closing hint, e.g. "12 more: /cyber latest 20". */
  footer?: string;
  /** Must be visible only to the asker (help, usage, errors, refusals). When false, the adapter's visibility setting decides. */
  private: boolean;
  /** Set on internal errors; the same id is in the log. */
  errorId?: string;
}

/** A new story for a channel, with why the channel got it. */
export interface Alert {
  story: StoryCard;
  /** e.g. "subscribed to country:NZ". */
  reason: string;
}

/** What the dispatcher asks an adapter to post. */
export type Outbound =
  | { kind: "alert"; alert: Alert }
  | { kind: "batch"; alerts: Alert[]; reason: string }
  | { kind: "notice"; reply: Reply }
  /**
   * A story already alerted was revised: edit the posted message `messageId` in place with the new alert; without
   * one (the original was a digest, or the platform cannot edit it), post a short "updated" message instead.
   */
  | { kind: "update"; alert: Alert; messageId?: string };

export interface Delivered {
  /** The platform's message id (Slack ts, Discord snowflake, console sequence). */
  messageId: string;
}

/**
 * transient: retry later. permanent: the channel is gone (switch its subscriptions off). auth: the platform
 * refused the bot's token, which is true of every channel at once: pause the platform, keep its alerts queued.
 */
export type DeliveryFailureKind = "transient" | "permanent" | "auth";

/** Thrown by `ChatAdapter.deliver`: the dispatcher retries, disables the channel or pauses the platform by kind. */
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

/**
 * Thrown by `ChatAdapter.start` when the platform could not be reached (network, timeout, 5xx): not a
 * configuration mistake, so the bot keeps running and tries again. Any other error from `start` is fatal.
 */
export class PlatformUnreachableError extends CyberbriefError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = "PlatformUnreachableError";
  }
}

export interface Suggestion {
  /** What the user sees, e.g. "APT40 (Kryptonite Panda)". */
  label: string;
  /** What gets inserted, e.g. "apt40". */
  value: string;
}

/** What adapters call: the command layer. */
export interface CommandHandler {
  handle(command: ChatCommand): Promise<Reply>;
  /** Autocomplete for a partly typed query; at most `limit` suggestions. */
  suggest(partial: string, limit: number): Suggestion[];
}

export interface ChatAdapter {
  readonly platform: Platform;
  /**
   * Connect and start answering commands through `handler`. Throws PlatformUnreachableError when the platform
   * cannot be reached (may be called again later), anything else (a refused token, bad settings) when it never will.
   */
  start(handler: CommandHandler): Promise<void>;
  stop(): Promise<void>;
  /** Post to a channel reference of this platform. Throws DeliveryError. */
  deliver(channelRef: string, message: Outbound): Promise<Delivered>;
  isConnected(): boolean;
}
