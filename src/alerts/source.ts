// Thread replies for later sources of an event: which due rows go out together, and what the reply says (or why
// it is not sent, recorded on the rows).

import { storyCard } from "../core/cards.js";
import type { StorySummary } from "../core/story.js";
import type { TagKey } from "../core/tags.js";
import type { DueDelivery } from "../store/outbox.js";
import { buildAlert, reasonFor } from "./alert.js";
import type { ChannelPlan } from "./flood.js";
import type { Outbox } from "./outbox.js";
import type { SendContext } from "./send.js";
import type { Outbound } from "./types.js";

/** Further sources a reply lists by name; the rest are counted. */
export const REPLY_SOURCES = 10;

/** The due thread replies to the same alert as the channel's first due row, oldest first. */
export const threadRows = (due: readonly DueDelivery[]): DueDelivery[] =>
  due.filter((d) => d.kind === "source" && d.updateOf === due[0]?.updateOf);

/**
 * At most one reply per event thread per channel per flood window: every due source of that thread goes into
 * one reply, and when the thread already got a reply within the window they wait for its end, gathering what
 * else arrives (a backlog of 2,000 copies is one reply, and the parent's "+N sources" counts them all).
 */
export async function planThread(
  outbox: Outbox,
  due: readonly DueDelivery[],
  now: number,
  windowMs: number,
): Promise<ChannelPlan<DueDelivery>> {
  const rows = threadRows(due);
  const first = rows[0];
  if (!first) return { kind: "none" };
  if (first.updateOf !== null) {
    const last = await outbox.lastThreadReplyAt(first.updateOf, first.channelRef, now - windowMs);
    if (last !== null && last + windowMs > now) return { kind: "hold", until: last + windowMs };
  }
  return { kind: "batch", rows };
}

/**
 * The reply for claimed source rows of one thread, or null when they are not to be sent (each such row is
 * cancelled with the reason, which `/cyber why` shows):
 * - the alert went out as its own message: a thread reply, and the alert edited to count the sources;
 * - the alert is still queued: it will count the sources itself when it goes;
 * - the alert went out inside a flood summary: there is no message to reply to, and a summary exists to keep
 *   the channel quiet, so nothing is posted;
 * - the alert was never delivered (failed or cancelled): the channel has not seen the event, so the first new
 *   source is posted as its alert and the rest of the burst is cancelled.
 */
export async function sourceMessage(
  ctx: SendContext,
  rows: DueDelivery[],
  items: Array<{ story: StorySummary; tags: string }>,
): Promise<Outbound | null> {
  const [row] = rows;
  const [item] = items;
  if (!row || !item) return null;
  const parent = row.updateOf === null ? undefined : await ctx.outbox.threadParent(row.updateOf);
  const skip = async (ids: number[], reason: string) => {
    if (ids.length > 0) await ctx.outbox.cancel(ids, `not posted: ${reason}`);
    return null;
  };
  const all = rows.map((r) => r.id);
  if (!parent) return skip(all, "the event's alert is no longer stored");
  if (parent.status === "pending" || parent.status === "sending")
    return skip(all, "the event's alert is still queued and counts its sources itself when it goes");
  if (parent.status === "failed" || parent.status === "cancelled") {
    await skip(all.slice(1), "the event's alert was not delivered; its first later source went out instead");
    const alert = buildAlert(item.story, row.tags);
    return {
      kind: "alert",
      alert: { ...alert, reason: `${alert.reason}; earlier reports were not delivered` },
    };
  }
  if (parent.batched || !parent.messageId)
    return skip(all, "the event went out in a flood summary, which has no thread to reply in");
  const parentStory = (await ctx.outbox.stories([parent.storyRowid])).get(parent.storyRowid);
  if (!parentStory) return skip(all, "the event's alert is no longer stored");
  const added = new Set<TagKey>();
  for (const r of rows) for (const key of await ctx.outbox.addedTags(r.storyRowid)) added.add(key);
  return {
    kind: "source",
    alert: buildAlert(item.story, row.tags),
    added: addedNames(added, items),
    others: items.slice(1, 1 + REPLY_SOURCES).map((i) => storyCard(i.story)),
    total: items.length,
    parent: {
      messageId: parent.messageId,
      alert: {
        story: { ...storyCard(parentStory), sources: parent.sources },
        reason: reasonFor(parent.tags),
      },
    },
  };
}

/** Tag keys as readers name them: actors, then countries blamed ("China (blamed)"), then countries named. */
export function addedNames(keys: ReadonlySet<TagKey>, items: Array<{ story: StorySummary }>): string[] {
  const actors = new Map<string, string>();
  const countries = new Map<string, string>();
  for (const { story } of items) {
    for (const a of story.actors) actors.set(a.id, a.name);
    for (const c of story.countries) countries.set(c.code.toUpperCase(), c.name);
  }
  const out: string[] = [];
  const blamed = new Set<string>();
  for (const key of keys) {
    const [kind, value = ""] = key.split(":");
    if (kind === "actor") out.push(actors.get(value) ?? value);
    if (kind === "sponsor") blamed.add(value);
  }
  for (const code of blamed) out.push(`${countries.get(code) ?? code} (blamed)`);
  for (const key of keys) {
    const [kind, value = ""] = key.split(":");
    if (kind === "country" && !blamed.has(value)) out.push(countries.get(value) ?? value);
  }
  return out;
}
