// What a feed's followers are told: after a day of failures, and once more when it works again.

import type { Reply } from "../core/cards.js";
import { shownUrl } from "../core/feed-text.js";
import type { Feed } from "../core/feeds.js";
import { shortDuration } from "./schedule.js";

export type HealthChange = "failing" | "recovered";

/** A notice about one feed's health, for the channels that follow it. */
export function healthNotice(
  feed: Pick<Feed, "id" | "displayName" | "url" | "lastError" | "failingSince" | "origin">,
  change: HealthChange,
  now: number,
): Reply {
  const since = feed.failingSince ? Date.parse(feed.failingSince) : now;
  const text =
    change === "failing"
      ? [
          `Feed ${feed.id} (${feed.displayName}) has failed for ${shortDuration(now - since)}: ${feed.lastError ?? "unknown error"}.`,
          `Its stories will arrive when it works again; /cyber feeds shows its health. ${
            feed.origin === "chat"
              ? `A channel manager can remove it with /cyber feed remove ${feed.id}.`
              : "The bot's operator added it and can remove it."
          }`,
        ]
      : [`Feed ${feed.id} (${feed.displayName}) works again; new items will be alerted as usual.`];
  return {
    kind: "notice",
    headline: change === "failing" ? "A feed is failing" : "A feed has recovered",
    text,
    fields: [{ label: "URL", value: shownUrl(feed.url) }],
    stories: [],
    private: false,
  };
}
