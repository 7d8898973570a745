// Which rendering each kind of Outbound gets, for the platforms that can edit a posted alert (Slack, Discord).

import type { Alert, Digest, Outbound, Reply } from "./types.js";

/**
 * One rule for Slack and Discord, given their renderers: a revision with a posted message to edit is drawn as
 * the alert again, labelled "Updated story"; without one (a digest, a deleted message) it gets a short note.
 */
export function renderWith<M>(
  message: Outbound,
  alert: (alert: Alert, label?: string) => M,
  batch: (alerts: Alert[], reason: string, total?: number, top?: string[]) => M,
  reply: (reply: Reply) => M,
  updateNote: (alert: Alert) => M,
): M {
  if (message.kind === "alert") return alert(message.alert);
  if (message.kind === "batch") return batch(message.alerts, message.reason, message.total, message.top);
  if (message.kind === "notice") return reply(message.reply);
  // Interim renderings of a later source and a digest, until the adapters draw threads and digest lines.
  if (message.kind === "source") return alert(message.alert, "Also reported");
  if (message.kind === "digest") return reply(digestReply(message.digest));
  // An update edits the posted alert in place when there is one to edit, else it is a short note.
  return message.messageId ? alert(message.alert, "Updated story") : updateNote(message.alert);
}

/** A digest as a reply: its title and period as headline, one card per event. */
export function digestReply(digest: Digest): Reply {
  return {
    kind: "notice",
    headline: `${digest.title}: ${digest.period}`,
    text: [digest.reason],
    fields: [],
    stories: digest.events.map((e) => e.story),
    private: false,
  };
}

/** "a, b and c". */
function andList(items: string[]): string {
  const last = items[items.length - 1] ?? "";
  return items.length < 2 ? last : `${items.slice(0, -1).join(", ")} and ${last}`;
}

/** A flood summary's headline: "142 new stories, most about APT40 and Volt Typhoon". */
export function summaryHead(total: number, top: string[] = []): string {
  const count = total === 1 ? "1 new story" : `${total} new stories`;
  return top.length > 0 && total > 1 ? `${count}, most about ${andList(top)}` : count;
}

/** What a summary says below its titles when it lists only some of its stories. */
export const moreStories = (n: number): string => `…and ${n} more: /cyber latest`;

/** "+2 sources" for an event reported by others too; "" when it was not. */
export const sourcesLabel = (n: number): string => (n <= 0 ? "" : n === 1 ? "+1 source" : `+${n} sources`);

/** What a digest says below its lines when it lists only some of its events. */
export const moreEvents = (n: number, command: string): string =>
  `…and ${n} more ${n === 1 ? "event" : "events"}: ${command}`;

/** A digest's count line: "7 events, most-reported first". */
export const digestCount = (total: number): string =>
  total === 1 ? "1 event" : `${total} events, most-reported first`;
