// How feeds are typed and shown: the URL rule (normalised, http or https), intervals (30s, 15m, 2h) and health
// in relative times. Shared by the store, config/feeds.yaml, the CLI and the chat commands.

import { type Feed, UNHEALTHY_AFTER } from "./feeds.js";

/** The shortest and longest poll intervals `--every` and config/feeds.yaml accept. */
export const MIN_EVERY_MS = 1_000;
export const MAX_EVERY_MS = 7 * 24 * 3_600_000;

const SECOND = 1_000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const UNIT_MS: Record<string, number> = { s: SECOND, m: MINUTE, h: HOUR };

/**
 * A feed URL as the store keeps it (WHATWG URL: scheme and host lower-cased, the fragment removed), or null when
 * the text is not a URL at all.
 */
export function normaliseFeedUrl(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return null;
  }
  url.hash = "";
  return url.href;
}

/** The normalised URL of an http(s) feed, or one line saying what is wrong with the text. */
export function feedUrl(text: string): { url: string } | { problem: string } {
  const shown = JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
  const url = normaliseFeedUrl(text);
  if (url === null)
    return {
      problem: `${shown} is not a URL; give the feed's full address, e.g. https://example.com/feed.xml`,
    };
  const scheme = new URL(url).protocol.replace(/:$/, "");
  if (scheme !== "http" && scheme !== "https")
    return { problem: `${shown} uses ${scheme}:, but feeds are fetched over http or https only` };
  return { url };
}

/**
 * `30s`, `15m`, `2h` (one whole number and a unit s, m or h) in milliseconds, from 5 seconds to 7 days; else one
 * line saying what is accepted.
 */
export function parseEvery(text: string): { ms: number } | { problem: string } {
  const m = /^(\d{1,9})([smh])$/i.exec(text.trim());
  const ms = m ? Number(m[1]) * (UNIT_MS[(m[2] as string).toLowerCase()] as number) : Number.NaN;
  if (Number.isFinite(ms) && ms >= MIN_EVERY_MS && ms <= MAX_EVERY_MS) return { ms };
  const shown = JSON.stringify(text.length > 20 ? `${text.slice(0, 20)}…` : text);
  return {
    problem: `${shown} is not a poll interval: give a number and a unit s, m or h (30s, 15m, 2h), from 1s to 7 days (168h)`,
  };
}

/** The shortest way to write an interval as `parseEvery` reads it: 900000 → "15m". */
export function formatEvery(ms: number): string {
  if (ms % HOUR === 0) return `${ms / HOUR}h`;
  if (ms % MINUTE === 0) return `${ms / MINUTE}m`;
  return `${Math.round(ms / SECOND)}s`;
}

/** "5 min ago", "in 2 h", "3 days ago", "just now" for an ISO time, relative to `nowMs`. */
export function relativeTime(iso: string, nowMs: number): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const diff = at - nowMs;
  const abs = Math.abs(diff);
  if (abs < 60_000) return diff > 0 ? "in under a minute" : "just now";
  const span =
    abs < 2 * 3_600_000
      ? `${Math.round(abs / 60_000)} min`
      : abs < 48 * 3_600_000
        ? `${Math.round(abs / 3_600_000)} h`
        : `${Math.round(abs / 86_400_000)} days`;
  return diff > 0 ? `in ${span}` : `${span} ago`;
}

/** Error texts come from far away (servers, parsers): one short line. */
const short = (text: string): string => {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 160 ? `${line.slice(0, 159)}…` : line;
};

/** Who added a feed, in words: "operator (CLI)", "config/feeds.yaml", "chat". */
export function feedOriginText(feed: Pick<Feed, "origin">): string {
  if (feed.origin === "cli") return "operator (CLI)";
  if (feed.origin === "config") return "config file";
  return "chat";
}

/**
 * A feed's health as one line: last success, last error, items seen, next poll, and how long it has been
 * failing. The same facts for `cyberbrief feed list` and `/cyber feeds`.
 */
export function feedHealth(feed: Feed, nowMs: number): string {
  const parts: string[] = [];
  if (feed.failingSince) {
    parts.push(
      feed.failures >= UNHEALTHY_AFTER
        ? `UNHEALTHY: failing since ${relativeTime(feed.failingSince, nowMs)} (${feed.failures} failures in a row)`
        : `retrying after ${feed.failures === 1 ? "an error" : `${feed.failures} errors`}`,
    );
  }
  parts.push(
    feed.lastSuccessAt
      ? `last success ${relativeTime(feed.lastSuccessAt, nowMs)}`
      : feed.lastPollAt
        ? "no successful poll yet"
        : "not polled yet",
  );
  parts.push(
    feed.lastError
      ? `last error ${feed.lastErrorAt ? relativeTime(feed.lastErrorAt, nowMs) : ""}: ${short(feed.lastError)}`.replace(
          " :",
          ":",
        )
      : "no errors",
  );
  parts.push(`${feed.itemsSeen} ${feed.itemsSeen === 1 ? "item" : "items"} seen`);
  const next = Date.parse(feed.nextPollAt);
  parts.push(next <= nowMs ? "next poll due now" : `next poll ${relativeTime(feed.nextPollAt, nowMs)}`);
  return parts.join(" · ");
}

const SECRET_PARAM = /^(?:token|access_token|auth|key|api_?key|apikey|secret|password|pass|sig|signature)$/i;

/**
 * A feed URL as shown in chat and logs: a password in it, and the values of query parameters named like secrets
 * (token, key, sig…), are masked. Private feeds carry such credentials; `/cyber feeds` shows URLs to everyone.
 */
export function shownUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.password) parsed.password = "***";
  for (const name of [...parsed.searchParams.keys()]) {
    if (SECRET_PARAM.test(name)) parsed.searchParams.set(name, "***");
  }
  return parsed.href.replace(/%2A%2A%2A/g, "***");
}
