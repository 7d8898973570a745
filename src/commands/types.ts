// What the command layer takes and gives: a `/cyber` command as typed, and the handler adapters call.

import type { Reply } from "../core/cards.js";
import type { Platform } from "../core/platform.js";

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
  /** The channel's reference, `formatChannelRef` of the three above: "slack:T1/C2", "discord:G1/C2", "console:local". */
  channelRef: string;
  user: string;
  userName?: string;
  /** The text after `/cyber`, e.g. "apt40" or "subscribe country:nz". */
  text: string;
  /** Asked only by commands that change the channel's subscriptions. */
  canManageSubscriptions: () => Promise<PermissionDecision>;
}

/** One autocomplete choice. */
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
