// Builds the neutral Outbound messages the dispatcher hands to adapters: alerts, digests and the switch-off notice.

import { type Reply, storyCard } from "../core/cards.js";
import type { StorySummary } from "../core/story.js";
import { formatTagList, parseTagList } from "../core/tags.js";
import type { Alert, Outbound } from "./types.js";

/** "actor:APT40, country:NZ" → "subscribed to actor:APT40, country:NZ". */
export const reasonFor = (tags: string): string => `subscribed to ${tags}`;

export function buildAlert(story: StorySummary, tags: string): Alert {
  return { story: storyCard(story), reason: reasonFor(tags) };
}

/** The latest revision of a story a channel was already alerted to; the reason says it is an update. */
export function buildUpdate(story: StorySummary, tags: string): Alert {
  return { story: storyCard(story), reason: `updated; ${reasonFor(tags)}` };
}

/** Stories a flood summary lists by title; the rest are counted (and found with /cyber latest). */
export const SUMMARY_TITLES = 10;

/** The most frequent of `names` (each story counts once per name), most frequent first, ties by first seen. */
function mostFrequent(names: string[][], n: number): string[] {
  const counts = new Map<string, number>();
  for (const list of names) for (const name of new Set(list)) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name]) => name);
}

/**
 * One summary for a flood: it counts every story and names the actors (then countries) most of them are
 * about, but lists only the first `titles`; its reason names every tag that matched any of its stories.
 * Adapters head it with the count ("142 new stories, most about APT40 and Volt Typhoon").
 */
export function buildBatch(
  items: Array<{ story: StorySummary; tags: string }>,
  titles = SUMMARY_TITLES,
): Outbound {
  const tags = formatTagList(items.flatMap((i) => parseTagList(i.tags)));
  const actors = mostFrequent(
    items.map((i) => i.story.actors.map((a) => a.name)),
    3,
  );
  const countries = mostFrequent(
    items.map((i) => i.story.countries.map((c) => c.name)),
    actors.length > 0 ? 2 : 3,
  );
  return {
    kind: "batch",
    alerts: items.slice(0, titles).map((i) => buildAlert(i.story, i.tags)),
    reason: reasonFor(tags),
    total: items.length,
    top: [...actors, ...countries],
  };
}

/** Posted once in a channel whose alerts were switched off, when the channel can still be reached. */
export function disabledNotice(reason: string, tags: string[]): Outbound {
  const again =
    tags.length > 0 ? tags.map((t) => `/cyber subscribe ${t}`).join(", ") : "/cyber subscribe <tag>";
  const reply: Reply = {
    kind: "notice",
    headline: "cyberbrief alerts switched off",
    text: [
      `This channel's cyberbrief alerts are switched off: ${reason}.`,
      `Once that is fixed, re-subscribe with ${again}.`,
    ],
    fields: [],
    stories: [],
    private: false,
  };
  return { kind: "notice", reply };
}
