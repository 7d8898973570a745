// Which rendering each kind of Outbound gets, for the platforms that can edit a posted alert (Slack, Discord).

import type { Alert, Outbound, Reply, SourceReply, StoryCard } from "./types.js";

/**
 * One rule for Slack and Discord, given their renderers: a revision with a posted message to edit is drawn as
 * the alert again, labelled "Updated story"; without one (a digest, a deleted message) it gets a short note.
 * A thread reply (kind "source") and a digest are drawn by each adapter's own code.
 */
export function renderWith<M>(
  message: Exclude<Outbound, SourceReply | { kind: "digest" }>,
  alert: (alert: Alert, label?: string) => M,
  batch: (alerts: Alert[], reason: string, total?: number, top?: string[]) => M,
  reply: (reply: Reply) => M,
  updateNote: (alert: Alert) => M,
): M {
  if (message.kind === "alert") return alert(message.alert);
  if (message.kind === "batch") return batch(message.alerts, message.reason, message.total, message.top);
  if (message.kind === "notice") return reply(message.reply);
  // An update edits the posted alert in place when there is one to edit, else it is a short note.
  return message.messageId ? alert(message.alert, "Updated story") : updateNote(message.alert);
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

/** What a digest says below its lines when it lists only some of its events. */
export const moreEvents = (n: number, command: string): string =>
  `…and ${n} more ${n === 1 ? "event" : "events"}: ${command}`;

/** A digest's count line: "7 events, most-reported first". */
export const digestCount = (total: number): string =>
  total === 1 ? "1 event" : `${total} events, most-reported first`;

/** What an alert's card says of its event's other sources: "+1 source", "+3 sources"; "" when none. */
export const sourcesNote = (n: number | undefined): string =>
  n && n > 0 ? `+${n} ${n === 1 ? "source" : "sources"}` : "";

/** "Reuters, 2024-07-10" ("~" after an estimated date): who reported it, and when. */
export const reportedBy = (card: StoryCard): string =>
  `${card.source}, ${card.date}${card.dateEstimated ? "~" : ""}`;

/** "adds: APT41, China (blamed)"; "" when the sources add no actor or country. */
export const addsNote = (added: readonly string[]): string =>
  added.length > 0 ? `adds: ${added.join(", ")}` : "";

/** The sources of a reply that are listed (first one first), and how many more it counts. */
export function replySources(message: SourceReply): { cards: StoryCard[]; more: number } {
  const cards = [message.alert.story, ...message.others];
  return { cards, more: Math.max(0, message.total - cards.length) };
}

/** What a reply says below its listed sources when it counts more. */
export const moreSources = (n: number): string => `…and ${n} more ${n === 1 ? "source" : "sources"}`;

/**
 * A reply's source lines within `max` characters (joined by newlines): as many as fit, then `more(n)` for the n
 * left out, counting `extra` sources never listed. The first line always stays.
 */
export function fitSourceLines(
  lines: string[],
  extra: number,
  max: number,
  more: (n: number) => string,
): string[] {
  const out: string[] = [];
  let used = 0;
  for (const [i, line] of lines.entries()) {
    const rest = lines.length - i - 1 + extra;
    const reserve = rest > 0 ? more(rest).length + 1 : 0;
    if (i > 0 && used + line.length + 1 + reserve > max) {
      out.push(more(lines.length - i + extra));
      return out;
    }
    out.push(line);
    used += line.length + 1;
  }
  if (extra > 0) out.push(more(extra));
  return out;
}
