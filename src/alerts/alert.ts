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

/**
 * One digest for a flood; its reason names every tag that matched any of its stories. Adapters head a digest
 * with its story count, so the reason does not repeat it ("25 new stories (subscribed to all)").
 */
export function buildBatch(items: Array<{ story: StorySummary; tags: string }>): Outbound {
  const tags = formatTagList(items.flatMap((i) => parseTagList(i.tags)));
  return { kind: "batch", alerts: items.map((i) => buildAlert(i.story, i.tags)), reason: reasonFor(tags) };
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
