// The fake Discord's threads and replies: starting a thread on a message, and checking a reply's reference.

import { type FakeGuild, invalid } from "./fake-payloads.js";

export interface FakeThread {
  /** The channel the thread was started in. */
  parent: string;
  name: string;
  archived: boolean;
  locked: boolean;
}

/** What the fake keeps that threads and replies read. */
export interface ThreadState {
  readonly messages: Map<string, { channel_id: string }>;
  readonly threads: Map<string, FakeThread>;
  readonly noThreads: Set<string>;
  readonly opts: { guilds: FakeGuild[] };
}

const ARCHIVE_DURATIONS = [60, 1440, 4320, 10080];

/**
 * POST /channels/{c}/messages/{m}/threads: the thread takes the message's id; a message has at most one
 * (160004); a thread or a channel type without threads answers 50024; an unknown message 10008.
 */
export function startThread(
  state: ThreadState,
  channel: string,
  id: string,
  body: unknown,
): [number, unknown] {
  if (state.noThreads.has(channel) || state.threads.has(channel))
    return [400, { code: 50024, message: "Cannot execute action on this channel type" }];
  const starter = state.messages.get(id);
  if (!starter || starter.channel_id !== channel) return [404, { code: 10008, message: "Unknown Message" }];
  if (state.threads.has(id))
    return [400, { code: 160004, message: "A thread has already been created for this message" }];
  const { name, auto_archive_duration: archive } = (body ?? {}) as {
    name?: string;
    auto_archive_duration?: number;
  };
  if (!name || name.length > 100)
    return invalid([`thread name ${JSON.stringify(name)} must be 1-100 characters`]);
  if (archive !== undefined && !ARCHIVE_DURATIONS.includes(archive))
    return invalid([`auto_archive_duration ${archive} is not one of ${ARCHIVE_DURATIONS.join(", ")}`]);
  state.threads.set(id, { parent: channel, name, archived: false, locked: false });
  const metadata = {
    archived: false,
    auto_archive_duration: archive ?? 4320,
    archive_timestamp: new Date().toISOString(),
    locked: false,
  };
  const guild = state.opts.guilds.find((g) => g.channels.includes(channel));
  return [201, { id, type: 11, guild_id: guild?.id, parent_id: channel, name, thread_metadata: metadata }];
}

/** A reply's message_reference must name a message of the channel, unless fail_if_not_exists is false. */
export function checkReference(
  state: ThreadState,
  body: Record<string, unknown>,
  channel: string,
): [number, unknown] | null {
  const ref = body.message_reference as { message_id?: string; fail_if_not_exists?: boolean } | undefined;
  if (!ref) return null;
  const target = state.messages.get(ref.message_id ?? "");
  if (target?.channel_id === channel || ref.fail_if_not_exists === false) return null;
  return invalid(["message_reference: Unknown message"]);
}
