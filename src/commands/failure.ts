// The one answer to a command that failed: logged with an error id, and a neutral apology carrying that id.

import { randomBytes } from "node:crypto";
import type { ChatCommand, CommandHandler, Reply } from "../chat/types.js";
import type { Logger } from "../log/logger.js";
import { reply } from "./replies.js";

/** A short id that ties what the asker sees to the log line an admin looks for. */
export function newErrorId(): string {
  return randomBytes(4).toString("hex");
}

/** The apology for `errorId`: private (an error), and the same wording on every platform. */
export function failedReply(errorId: string): Reply {
  return reply("error", "Sorry, something went wrong answering that", {
    text: [`Please try again in a moment. If it keeps happening, give your admin this error id: ${errorId}`],
    errorId,
  });
}

/** Logs `err` as a failed command (with the error id) and returns the apology to show instead. */
export function commandFailed(
  log: Logger,
  err: unknown,
  command: ChatCommand,
  context: Record<string, unknown> = {},
): Reply {
  const errorId = newErrorId();
  log.error({ err, errorId, channel: command.channelRef, text: command.text, ...context }, "command failed");
  return failedReply(errorId);
}

/**
 * How every adapter asks a command handler: a handler that throws (a bug, or a handler other than ours) still
 * gets the asker an answer, and the log gets the error with the id the answer shows.
 */
export async function safeHandle(handler: CommandHandler, command: ChatCommand, log: Logger): Promise<Reply> {
  try {
    return await handler.handle(command);
  } catch (err) {
    return commandFailed(log, err, command);
  }
}
