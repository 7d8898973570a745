// The seam between the bot and a chat platform: neutral commands in, neutral replies and alerts out.
// Nothing here knows Slack, Discord or the console; each adapter renders these objects itself.

import type { AlertSender } from "../alerts/types.js";
import type { CommandHandler } from "../commands/types.js";
import { CyberbriefError } from "../core/errors.js";

// The vocabulary adapters speak, owned by the layers that define it, re-exported here for the adapters.
export {
  type Alert,
  type AlertSender,
  type Delivered,
  DeliveryError,
  type DeliveryFailureKind,
  type Digest,
  type Outbound,
  type SourceReply,
} from "../alerts/types.js";
export type { ChatCommand, CommandHandler, PermissionDecision, Suggestion } from "../commands/types.js";
export type {
  ActorRef,
  CountryRef,
  Reply,
  ReplyField,
  ReplyImage,
  ReplyKind,
  StoryCard,
} from "../core/cards.js";
export type { ChannelRef, Platform } from "../core/platform.js";

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

/** A chat platform: answers commands through a `CommandHandler` and delivers what the dispatcher sends. */
export interface ChatAdapter extends AlertSender {
  /**
   * Connect and start answering commands through `handler`. Throws PlatformUnreachableError when the platform
   * cannot be reached (may be called again later), anything else (a refused token, bad settings) when it never will.
   */
  start(handler: CommandHandler): Promise<void>;
  stop(): Promise<void>;
}
