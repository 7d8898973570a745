// The /cyber arguments after a verb: a subscription's digest schedule, a trend's tag and span, feed subcommands.

import { DEFAULT_DIGEST_AT, type DigestSchedule, parseDigestTime } from "../core/digest.js";
import type { Intent } from "./parse.js";
import { parseTag, takePage } from "./parse-words.js";

const DIGEST_EXAMPLE = "/cyber subscribe country:nz daily 08:00";
/** Something typed as a time: "08:00", "8:00", "25:00", "8am", "8.30", "0800h". */
const TIME_LIKE = /^\d{1,2}([:.h]\d{0,2})?h?\s*(am|pm)?$|^\d{3,4}h?$/i;

/**
 * A trailing `daily` or `weekly`, optionally followed by a time (HH:MM, 24-hour; 08:00 by default), or `stream`,
 * comes off the tag's words. A time without one of them, or one that is not HH:MM, is a usage problem.
 */
export function takeSchedule(
  words: string[],
): { words: string[]; digest?: DigestSchedule } | { problem: string } {
  const last = words[words.length - 1] ?? "";
  const lower = (w: string | undefined) => (w ?? "").toLowerCase();
  const timed =
    words.length >= 2 &&
    (lower(words[words.length - 2]) === "daily" || lower(words[words.length - 2]) === "weekly");
  const modeAt = timed ? words.length - 2 : words.length - 1;
  const mode = lower(words[modeAt]);
  if (mode === "stream" && words.length > 1) return { words: words.slice(0, -1) };
  if (mode !== "daily" && mode !== "weekly") {
    if (words.length > 1 && TIME_LIKE.test(last))
      return { problem: `A time goes with daily or weekly, e.g. ${DIGEST_EXAMPLE}` };
    return { words };
  }
  if (modeAt === 0) return { problem: `A digest of what? For example: ${DIGEST_EXAMPLE}` };
  const at = timed ? parseDigestTime(last) : DEFAULT_DIGEST_AT;
  if (at === null)
    return {
      problem: `"${last}" is not a time: use HH:MM on a 24-hour clock (00:00 to 23:59), e.g. ${DIGEST_EXAMPLE}`,
    };
  return { words: words.slice(0, modeAt), digest: { mode, at } };
}

export const TREND_WEEKS = { default: 26, min: 4, max: 104 } as const;
const TREND_EXAMPLE = "/cyber trend apt40, or /cyber trend sponsor:cn 52w for a year";

/** `trend <tag words> [Nw]`: the tag as subscriptions type it (a bare name is an actor or a country). */
export function parseTrend(rest: string[]): Intent {
  const last = (rest[rest.length - 1] ?? "").toLowerCase();
  const span = /^(\d{1,4})\s*(w|wk|wks|weeks?)$/.exec(last);
  const words = span ? rest.slice(0, -1) : rest;
  const weeks = span ? Number(span[1]) : TREND_WEEKS.default;
  if (weeks < TREND_WEEKS.min || weeks > TREND_WEEKS.max)
    return {
      kind: "usage",
      problem: `A trend covers ${TREND_WEEKS.min} to ${TREND_WEEKS.max} weeks, not ${weeks}: e.g. ${TREND_EXAMPLE}`,
      topic: "trend",
    };
  const tag = parseTag(words);
  if (!tag || tag.kind === "all")
    return { kind: "usage", problem: `A trend of what? For example: ${TREND_EXAMPLE}`, topic: "trend" };
  return { kind: "trend", tag, weeks };
}

const FEED_USAGE = "For example: /cyber feed add https://example.com/feed.xml, or /cyber feed remove 3";

/** `feed add URL [name...]`, `feed remove ID|URL`, `feed list`. A Slack-style `<url|label>` is unwrapped. */
export function parseFeed(rest: string[]): Intent {
  const sub = (rest[0] ?? "").toLowerCase();
  const target = (rest[1] ?? "").replace(/^<([^|>]*)(\|[^>]*)?>$/, "$1");
  if (sub === "list" || sub === "ls") return { kind: "feeds", page: takePage(rest.slice(1)).page };
  if ((sub === "add" || sub === "remove" || sub === "rm" || sub === "delete") && !target)
    return { kind: "usage", problem: `Which feed? ${FEED_USAGE}`, topic: "feeds" };
  if (sub === "add") return { kind: "feed-add", url: target, name: rest.slice(2).join(" ") || null };
  if (sub === "remove" || sub === "rm" || sub === "delete") {
    if (rest.length > 2)
      return { kind: "usage", problem: `Remove one feed at a time. ${FEED_USAGE}`, topic: "feeds" };
    return { kind: "feed-remove", target };
  }
  return { kind: "usage", problem: `\`feed\` takes add, remove or list. ${FEED_USAGE}`, topic: "feeds" };
}
