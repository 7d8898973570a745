// /cyber feeds, feed add and feed remove: the polled feeds with their health, and channel managers adding and
// removing feeds. A URL typed in chat is untrusted: it passes the injected UrlCheck and is never fetched here.

import type { Reply, ReplyField } from "../core/cards.js";
import type { Clock } from "../core/clock.js";
import { feedHealth, feedOriginText, formatEvery, normaliseFeedUrl, shownUrl } from "../core/feed-text.js";
import {
  DEFAULT_FEED_EVERY_MS,
  type Feed,
  type FeedStore,
  UNHEALTHY_AFTER,
  type UrlCheck,
} from "../core/feeds.js";
import { plural, reply } from "./replies.js";
import { permitted } from "./subscribe.js";
import type { ChatCommand } from "./types.js";

export interface FeedDeps {
  feeds: FeedStore;
  /** The rule for URLs typed in chat (main.ts passes feeds/guard.ts `publicUrlCheck()`). */
  urlCheck: UrlCheck;
  clock: Clock;
}

/** Feeds per page of /cyber feeds (each is one field; platforms cap fields per message). */
export const FEEDS_PER_PAGE = 10;

/** Longest URL accepted from chat (browsers and servers rarely take more). */
const MAX_URL = 2000;

const WHAT = "add or remove feeds for this channel";
const CLI_HINT = "The operator can add any feed with `cyberbrief feed add URL` on the bot's machine.";

/** Text typed by a user, shown back quoted and short. */
const typed = (text: string): string => JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);

const label = (f: Feed): string => `#${f.id} ${f.displayName}`;

function feedField(f: Feed, channelRef: string, nowMs: number): ReplyField {
  const follows = f.followers.includes(channelRef) ? " · this channel added it" : "";
  return {
    label: label(f),
    value: `${shownUrl(f.url)}\nevery ${formatEvery(f.everyMs)} · added by ${feedOriginText(f)}${follows}\n${feedHealth(f, nowMs)}`,
    inline: false,
  };
}

export async function feedsReply(deps: FeedDeps, cmd: ChatCommand, page: number): Promise<Reply> {
  const all = await deps.feeds.listFeeds();
  if (all.length === 0) {
    return reply("empty", "No feeds yet", {
      text: ["A channel manager can add one: /cyber feed add https://example.com/feed.xml", CLI_HINT],
    });
  }
  const now = deps.clock.now();
  const pages = Math.ceil(all.length / FEEDS_PER_PAGE);
  const at = Math.min(page, pages);
  const shown = all.slice((at - 1) * FEEDS_PER_PAGE, at * FEEDS_PER_PAGE);
  const failing = all.filter((f) => f.failures >= UNHEALTHY_AFTER).length;
  const first = (at - 1) * FEEDS_PER_PAGE + 1;
  const footer =
    pages === 1
      ? undefined
      : `Showing ${first}–${first + shown.length - 1} of ${all.length} feeds.` +
        (at < pages ? ` More: /cyber feeds page ${at + 1}` : " First: /cyber feeds");
  return reply("answer", `${plural(all.length, "feed")}${failing > 0 ? `, ${failing} unhealthy` : ""}`, {
    text: ["New items of every feed are alerted to channels subscribed to their tags, like any story."],
    fields: shown.map((f) => feedField(f, cmd.channelRef, now)),
    footer,
  });
}

/** Feeds one channel may add from chat (each is a poll every 15 minutes, forever). */
export const MAX_CHAT_FEEDS = 25;

export async function feedAddReply(
  deps: FeedDeps,
  cmd: ChatCommand,
  url: string,
  name: string | null,
): Promise<Reply> {
  const refused = await permitted(cmd, WHAT);
  if (refused) return refused;
  if (url.length > MAX_URL) {
    return reply("usage", `That URL is too long (over ${MAX_URL} characters)`, {
      text: ["Give the feed's address, e.g. /cyber feed add https://example.com/feed.xml"],
    });
  }
  const why = await deps.urlCheck(url);
  const normal = normaliseFeedUrl(url);
  if (why !== null || normal === null) {
    return reply("refused", `Sorry, that feed can't be added from chat`, {
      text: [why ?? `${typed(url)} is not a URL`, CLI_HINT],
    });
  }
  const before = await deps.feeds.getFeed(normal);
  const mine = (await deps.feeds.listFeeds()).filter((f) => f.followers.includes(cmd.channelRef)).length;
  if (!before?.followers.includes(cmd.channelRef) && mine >= MAX_CHAT_FEEDS) {
    return reply("refused", `This channel already follows ${MAX_CHAT_FEEDS} feeds`, {
      text: [
        `That is the most one channel can add from chat; remove one first (/cyber feeds lists them).`,
        CLI_HINT,
      ],
    });
  }
  const spec = { url: normal, name, everyMs: DEFAULT_FEED_EVERY_MS, fullText: false };
  const { feed, created } = await deps.feeds.addFeed(spec, "chat", cmd.channelRef);
  const text = created
    ? [
        `Its first poll stores what the feed holds now without alerting it; new items after that are alerted to channels subscribed to their tags (e.g. /cyber subscribe all). It is polled every ${formatEvery(feed.everyMs)}.`,
        "This channel is told if the feed keeps failing for a day, and when it recovers.",
      ]
    : before?.followers.includes(cmd.channelRef)
      ? ["Nothing changed: this channel added it already. See it with /cyber feeds"]
      : [
          "This channel now follows it: it is told if the feed keeps failing for a day, and when it recovers.",
        ];
  return reply("answer", created ? `Added feed ${label(feed)}` : `Feed ${label(feed)} is already polled`, {
    text,
    fields: [{ label: "URL", value: shownUrl(feed.url) }],
    private: false,
  });
}

export async function feedRemoveReply(deps: FeedDeps, cmd: ChatCommand, target: string): Promise<Reply> {
  const refused = await permitted(cmd, WHAT);
  if (refused) return refused;
  const feed = await deps.feeds.getFeed(target);
  if (!feed) {
    return reply("empty", `No feed ${typed(target)}`, {
      text: ["Give a feed's number or URL as /cyber feeds shows it, e.g. /cyber feed remove 3"],
    });
  }
  if (feed.origin !== "chat") {
    const how =
      feed.origin === "config"
        ? "It is listed in the bot's feeds file (config/feeds.yaml); the operator removes it there."
        : `Only the operator can remove it, with \`cyberbrief feed remove ${feed.id}\` on the bot's machine.`;
    return reply("refused", `Feed ${label(feed)} was added by the operator, not in chat`, { text: [how] });
  }
  const { unfollowed, removed } = await deps.feeds.unfollowFeed(feed.id, cmd.channelRef);
  if (!unfollowed) {
    return reply("refused", `This channel did not add feed ${label(feed)}`, {
      text: ["A feed added in chat is removed by the channels that added it."],
    });
  }
  if (removed)
    return reply("answer", `Removed feed ${label(feed)}`, {
      text: ["It is no longer polled; the stories it brought stay."],
      private: false,
    });
  return reply("answer", `This channel no longer follows feed ${label(feed)}`, {
    text: ["Other channels added it too, so it is still polled until they remove it."],
    private: false,
  });
}
