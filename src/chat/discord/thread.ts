// Posts later sources of an alerted event under the alert: in a thread started on it, or as a reply where the
// channel does not allow threads; then edits the alert to count them ("+N sources").

import {
  RESTJSONErrorCodes as Codes,
  DiscordAPIError,
  type REST,
  type RESTPostAPIChannelMessageResult,
  type RESTPostAPIChannelThreadsResult,
  Routes,
  ThreadAutoArchiveDuration,
} from "discord.js";
import type { Logger } from "../../log/logger.js";
import type { SourceReply } from "../types.js";
import { renderAlert } from "./render.js";
import { renderSource, threadName } from "./render-source.js";

/**
 * Answers meaning "no thread here": the channel type has none (a thread, a voice chat: 50024), the bot may not
 * create or write in threads (50001, 50013), the thread is locked or archived (160005, 50083), the channel has
 * too many active threads (160006, 160007), or the alert is gone (10008). The reply then goes in the channel.
 */
const NO_THREAD = new Set<number>([
  Codes.CannotExecuteActionOnThisChannelType,
  Codes.MissingAccess,
  Codes.MissingPermissions,
  Codes.ThreadLocked,
  Codes.InvalidActionOnArchivedThread,
  Codes.MaximumActiveThreads,
  Codes.MaximumActiveAnnouncementThreads,
  Codes.UnknownMessage,
]);

const noThread = (err: unknown) => err instanceof DiscordAPIError && NO_THREAD.has(Number(err.code));

/** How long a channel found without threads is answered in the channel without asking again (each refusal is a 4xx). */
const NO_THREAD_MS = 60 * 60 * 1000;

export class ThreadReplies {
  /** Channels where threads were refused, until when: no request that is bound to fail (Discord counts 4xx). */
  private readonly noThreadsUntil = new Map<string, number>();

  constructor(
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Posts the reply and returns its message id; failures of the reply itself are thrown as they came. */
  async post(rest: REST, channel: string, message: SourceReply): Promise<string> {
    const parent = message.parent.messageId;
    const body = { ...renderSource(message), allowed_mentions: { parse: [] } };
    const thread = await this.threadOf(rest, channel, message);
    let id: string | undefined;
    if (thread !== null) {
      try {
        id = ((await rest.post(Routes.channelMessages(thread), { body })) as RESTPostAPIChannelMessageResult)
          .id;
      } catch (err) {
        if (!noThread(err)) throw err;
        this.refused(channel, err);
      }
    }
    if (id === undefined) {
      // fail_if_not_exists false: a deleted alert still gets the reply, as a plain message.
      const reply = {
        ...body,
        message_reference: { message_id: parent, fail_if_not_exists: false },
        allowed_mentions: { parse: [], replied_user: false },
      };
      id = (
        (await rest.post(Routes.channelMessages(channel), { body: reply })) as RESTPostAPIChannelMessageResult
      ).id;
    }
    await this.editParent(rest, channel, message);
    return id;
  }

  /** The thread on the alert (started now, or already there: its id is the alert's), or null where none can be. */
  private async threadOf(rest: REST, channel: string, message: SourceReply): Promise<string | null> {
    if ((this.noThreadsUntil.get(channel) ?? 0) > this.now()) return null;
    const parent = message.parent.messageId;
    try {
      const body = { name: threadName(message), auto_archive_duration: ThreadAutoArchiveDuration.ThreeDays };
      return ((await rest.post(Routes.threads(channel, parent), { body })) as RESTPostAPIChannelThreadsResult)
        .id;
    } catch (err) {
      if (err instanceof DiscordAPIError && err.code === Codes.ThreadAlreadyCreatedForMessage) return parent;
      if (!noThread(err)) throw err;
      this.refused(channel, err);
      return null;
    }
  }

  private refused(channel: string, err: unknown): void {
    const code = err instanceof DiscordAPIError ? err.code : undefined;
    // A deleted alert says nothing about the channel; anything else is remembered for a while.
    if (code !== Codes.UnknownMessage) this.noThreadsUntil.set(channel, this.now() + NO_THREAD_MS);
    this.log.info({ channel, code }, "discord: no thread on the alert; replying in the channel");
  }

  /** The alert now counts the event's sources; a failed edit is logged, never a failed delivery. */
  private async editParent(rest: REST, channel: string, message: SourceReply): Promise<void> {
    try {
      await rest.patch(Routes.channelMessage(channel, message.parent.messageId), {
        body: { ...renderAlert(message.parent.alert), allowed_mentions: { parse: [] } },
      });
    } catch (err) {
      const code = err instanceof DiscordAPIError ? err.code : undefined;
      this.log.warn({ channel, code }, "discord: could not edit the alert to count its sources");
    }
  }
}
