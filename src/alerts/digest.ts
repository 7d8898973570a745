// What goes in a digest: the period's matching stories grouped into events, most-reported first (gathered in the
// queueing transaction), and the Digest message built from them when it is sent.

import { storyCard } from "../core/cards.js";
import { type DigestPeriod, describeSchedule } from "../core/digest.js";
import type { StorySummary } from "../core/story.js";
import { keywordOf, storyTagKeys, type TagKey } from "../core/tags.js";
import type { DigestPayload, DigestSubscription, DigestTx, NewDigest } from "../store/digests.js";
import type { Digest } from "./types.js";

/** Events a payload keeps (the rest are only counted in `total`); far more than any platform shows. */
export const PAYLOAD_EVENTS = 500;
/** Event cards built for one digest message; each adapter shows as many lines as fit. */
export const DIGEST_LINES = 50;

/**
 * The digest of `sub` for `period`, or null when nothing matched. A story matches by the stream's own rule
 * (core/tags.ts `storyTagKeys`: `all` only for cyber stories); its event is counted once, by all its stories.
 * Ties between equally reported events go to the one reported last.
 */
export function gatherDigest(
  tx: DigestTx,
  sub: DigestSubscription,
  period: DigestPeriod,
  zone: string,
): NewDigest | null {
  const events = new Set<number>();
  const stories = tx.ingestedBetween(period.start, period.end);
  const phrase = keywordOf(sub.tag);
  if (phrase !== null) {
    // A keyword watch matches the stories' text (the full-text index), not their tags.
    const found = tx.withPhrase(
      phrase,
      stories.map((s) => s.rowid),
    );
    for (const story of stories) if (found.has(story.rowid)) events.add(story.event);
  } else {
    for (const story of stories) if (storyTagKeys(story).includes(sub.tag)) events.add(story.event);
  }
  if (events.size === 0) return null;
  const sizes = tx.eventSizes([...events]);
  const size = (e: number) => sizes.get(e) ?? 1;
  const ordered = [...events].sort((a, b) => size(b) - size(a) || b - a);
  const payload: DigestPayload = {
    v: 1,
    mode: sub.schedule.mode,
    at: sub.schedule.at,
    zone,
    start: period.start,
    end: period.end,
    label: period.label,
    events: ordered.slice(0, PAYLOAD_EVENTS).map((e) => [e, size(e)]),
    total: ordered.length,
  };
  return {
    channelRef: sub.channelRef,
    platform: sub.platform,
    tag: sub.tag,
    storyRowid: ordered[0] as number,
    payload,
  };
}

/** "/cyber country NZ": the command that lists a tag's stories (newest first). */
export function tagCommand(tag: TagKey): string {
  if (tag === "all") return "/cyber latest";
  const phrase = keywordOf(tag);
  if (phrase !== null) return `/cyber search "${phrase}"`;
  if (tag.startsWith("target:")) return `/cyber ${tag.toLowerCase()}`;
  const [kind, value] = tag.split(":") as [string, string];
  return `/cyber ${kind} ${value}`;
}

/**
 * The Digest message for a queued row, from its payload and the stories stored now (an event whose story is
 * gone is left out and not counted). Null when none of its stories is stored any more.
 */
export function buildDigest(
  key: string,
  tag: TagKey,
  payload: DigestPayload,
  stories: ReadonlyMap<number, StorySummary>,
): Digest | null {
  const listed = payload.events.slice(0, DIGEST_LINES);
  const kept = listed.filter(([e]) => stories.has(e));
  if (kept.length === 0) return null;
  const schedule = { mode: payload.mode, at: payload.at };
  return {
    key,
    title: `${payload.mode === "daily" ? "Daily" : "Weekly"} digest: ${tag}`,
    period: payload.label,
    reason: `subscribed to ${tag} ${describeSchedule(schedule, payload.zone)}`,
    events: kept.map(([e, size]) => {
      const story = storyCard(stories.get(e) as StorySummary);
      story.sources = size - 1;
      return { story, sources: size - 1 };
    }),
    total: payload.total - (listed.length - kept.length),
    more: tagCommand(tag),
  };
}
