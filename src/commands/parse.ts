// The /cyber command language: text in, an Intent out. Never throws; a mistake becomes a `usage` intent.

import { DEFAULT_DIGEST_AT, type DigestSchedule, parseDigestTime } from "../core/digest.js";
import { CVE_ID } from "../core/tags.js";
import { normaliseText } from "../core/text.js";

export type TagKind = "actor" | "country" | "sponsor" | "target" | "sector" | "malware" | "cve" | "keyword";

/**
 * A tag as typed: `actor:apt40`, `country:"new zealand"`, `sponsor:cn`, `target:nz`, `sector:healthcare`,
 * `malware:plugx`, `cve:CVE-2024-3400`, `keyword:"electoral commission"`, or `all` (subscriptions).
 */
export type TagArg = { kind: TagKind | "any"; value: string } | { kind: "all" };

export type Intent =
  | { kind: "help"; topic?: string }
  | { kind: "lookup"; query: string; page: number }
  | { kind: "tag"; tag: TagArg; page: number }
  | { kind: "search"; terms: string[]; page: number }
  /** A chart of stories per week about one tag over `weeks` weeks. */
  | { kind: "trend"; tag: TagArg; weeks: number }
  | { kind: "latest"; count: number; page: number }
  | { kind: "story"; id: string }
  | { kind: "why"; id: string }
  /** `digest` absent: the stream (each story as it comes); else one digest a day or a week. */
  | { kind: "subscribe"; tag: TagArg; digest?: DigestSchedule }
  | { kind: "unsubscribe"; tag: TagArg }
  | { kind: "subscriptions" }
  | { kind: "feeds"; page: number }
  | { kind: "feed-add"; url: string; name: string | null }
  | { kind: "feed-remove"; target: string }
  | { kind: "usage"; problem: string; topic?: string };

export const MAX_INPUT = 500;
export const MAX_PER_REPLY = 5;

const VERBS: Record<string, string> = {
  help: "help",
  "?": "help",
  actor: "actor",
  group: "actor",
  country: "country",
  sponsor: "sponsor",
  target: "target",
  sector: "sector",
  malware: "malware",
  cve: "cve",
  search: "search",
  find: "search",
  trend: "trend",
  chart: "trend",
  latest: "latest",
  recent: "latest",
  new: "latest",
  story: "story",
  show: "story",
  why: "why",
  subscribe: "subscribe",
  sub: "subscribe",
  follow: "subscribe",
  unsubscribe: "unsubscribe",
  unsub: "unsubscribe",
  unfollow: "unsubscribe",
  subscriptions: "subscriptions",
  subs: "subscriptions",
  following: "subscriptions",
  feeds: "feeds",
  feed: "feed",
};

/** Verbs the autocomplete and help offer, in that order. */
export const COMMAND_WORDS = [
  "help",
  "actor",
  "country",
  "sponsor",
  "target",
  "sector",
  "malware",
  "cve",
  "search",
  "trend",
  "latest",
  "story",
  "why",
  "subscribe",
  "unsubscribe",
  "subscriptions",
  "feeds",
  "feed",
];

/** Split on whitespace; double quotes (straight or curly) group words; an unclosed quote runs to the end. */
export function splitWords(text: string): string[] {
  const tokens: string[] = [];
  let current = "";
  let quoted = false;
  let hadQuote = false;
  for (const ch of text) {
    if (ch === '"' || ch === "“" || ch === "”") {
      quoted = !quoted;
      hadQuote = true;
      continue;
    }
    if (!quoted && /\s/u.test(ch)) {
      if (current || hadQuote) tokens.push(current);
      current = "";
      hadQuote = false;
      continue;
    }
    current += ch;
  }
  if (current || hadQuote) tokens.push(current);
  return tokens.map((t) => t.trim()).filter((t) => t.length > 0);
}

/** Control characters become spaces; invisible format characters go (the rule article text follows too). */
export function clean(text: string): string {
  return normaliseText(text)
    .replace(/\p{Cc}/gu, " ")
    .replace(/^\s*\/?cyber\b/i, "")
    .trim();
}

const TAG_RE = /^(actor|country|sponsor|target|sector|malware|cve|keyword|tag):(.*)$/i;

/**
 * `actor:apt40` → a tag; `all` → all; a bare CVE id (`cve-2024-3400`) → that CVE; anything else → a bare name
 * resolved actor first, then country.
 */
export function parseTag(words: string[]): TagArg | null {
  const joined = words.join(" ").trim();
  if (!joined) return null;
  if (joined.toLowerCase() === "all" || joined === "*") return { kind: "all" };
  const m = TAG_RE.exec(joined);
  if (m) {
    const value = (m[2] ?? "").trim();
    if (!value) return null;
    const k = (m[1] ?? "").toLowerCase();
    return { kind: k === "tag" ? "any" : (k as TagKind), value };
  }
  if (CVE_ID.test(joined)) return { kind: "cve", value: joined };
  return { kind: "any", value: joined };
}

/** A trailing `page N` (or `p2`) selects older results. */
function takePage(words: string[]): { words: string[]; page: number } {
  const n = words.length;
  const last = words[n - 1]?.toLowerCase() ?? "";
  if (n >= 2 && words[n - 2]?.toLowerCase() === "page" && /^\d{1,4}$/.test(last)) {
    return { words: words.slice(0, -2), page: Math.max(1, Number(last)) };
  }
  const short = /^p(\d{1,4})$/.exec(last);
  if (short && n >= 2) return { words: words.slice(0, -1), page: Math.max(1, Number(short[1])) };
  return { words, page: 1 };
}

export function parseCommand(input: string): Intent {
  if (input.length > MAX_INPUT * 4)
    return { kind: "usage", problem: `That command is too long (over ${MAX_INPUT} characters).` };
  const text = clean(input);
  if (text.length > MAX_INPUT)
    return { kind: "usage", problem: `That command is too long (over ${MAX_INPUT} characters).` };
  const tokens = splitWords(text);
  if (tokens.length === 0) return { kind: "help" };
  const verb = VERBS[(tokens[0] ?? "").toLowerCase()];
  const rest = tokens.slice(1);
  switch (verb) {
    case "help":
      return rest[0] ? { kind: "help", topic: rest[0].toLowerCase() } : { kind: "help" };
    case "actor":
    case "country":
    case "sponsor":
    case "target":
    case "sector":
    case "malware":
    case "cve": {
      const { words, page } = takePage(rest);
      if (words.length === 0)
        return { kind: "usage", problem: `Which ${verb}? For example: ${example(verb)}`, topic: verb };
      return { kind: "tag", tag: { kind: verb, value: words.join(" ") }, page };
    }
    case "search": {
      const { words, page } = takePage(rest);
      if (words.length === 0)
        return {
          kind: "usage",
          problem: "Search for what? For example: /cyber search parliament espionage",
          topic: "search",
        };
      return { kind: "search", terms: words, page };
    }
    case "trend":
      return parseTrend(rest);
    case "latest": {
      const { words, page } = takePage(rest);
      if (words.length === 0) return { kind: "latest", count: MAX_PER_REPLY, page };
      if (words.length === 1 && /^\d{1,4}$/.test(words[0] ?? "")) {
        const count = Number(words[0]);
        if (count >= 1) return { kind: "latest", count: Math.min(count, MAX_PER_REPLY), page };
      }
      // "new zealand", "recent phishing": after an alias of `latest`, words are a name or a search, not a count.
      if ((tokens[0] ?? "").toLowerCase() !== "latest") return lookup(tokens);
      return {
        kind: "usage",
        problem: "`latest` takes an optional number from 1 to 5, e.g. /cyber latest 3",
        topic: "latest",
      };
    }
    case "story":
    case "why": {
      const id = rest[0] ?? "";
      if (rest.length !== 1 || !/^[0-9a-f]{4,64}$/i.test(id)) {
        return {
          kind: "usage",
          problem: `\`${verb}\` takes a story id as shown in replies, e.g. /cyber ${verb} 3fa9c2d1`,
          topic: verb,
        };
      }
      return { kind: verb, id: id.toLowerCase() };
    }
    case "subscribe":
    case "unsubscribe": {
      // "unsubscribe country:nz daily" means the tag: the schedule words are dropped.
      const schedule = takeSchedule(rest);
      if ("problem" in schedule) return { kind: "usage", problem: schedule.problem, topic: "subscribe" };
      const tag = parseTag(schedule.words);
      if (!tag)
        return {
          kind: "usage",
          problem: `${verb === "subscribe" ? "Subscribe to" : "Unsubscribe from"} what? For example: /cyber ${verb} country:nz`,
          topic: "subscribe",
        };
      return verb === "subscribe" && schedule.digest
        ? { kind: "subscribe", tag, digest: schedule.digest }
        : { kind: verb, tag };
    }
    case "subscriptions":
      return { kind: "subscriptions" };
    case "feeds":
      return { kind: "feeds", page: takePage(rest).page };
    case "feed":
      return parseFeed(rest);
    default:
      return lookup(tokens);
  }
}

const DIGEST_EXAMPLE = "/cyber subscribe country:nz daily 08:00";
/** Something typed as a time: "08:00", "8:00", "25:00", "8am", "8.30", "0800h". */
const TIME_LIKE = /^\d{1,2}([:.h]\d{0,2})?h?\s*(am|pm)?$|^\d{3,4}h?$/i;

/**
 * A trailing `daily` or `weekly`, optionally followed by a time (HH:MM, 24-hour; 08:00 by default), or `stream`,
 * comes off the tag's words. A time without one of them, or one that is not HH:MM, is a usage problem.
 */
function takeSchedule(words: string[]): { words: string[]; digest?: DigestSchedule } | { problem: string } {
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
function parseTrend(rest: string[]): Intent {
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
function parseFeed(rest: string[]): Intent {
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

/** Bare words: a tag when typed as one (`actor:apt40`), else a name or search resolved by the handler. */
function lookup(tokens: string[]): Intent {
  const { words, page } = takePage(tokens);
  if (TAG_RE.test(words[0] ?? "") || (words.length === 1 && CVE_ID.test(words[0] ?? ""))) {
    const tag = parseTag(words);
    if (tag) return { kind: "tag", tag, page };
  }
  return { kind: "lookup", query: words.join(" "), page };
}

function example(verb: string): string {
  if (verb === "actor") return "/cyber actor kryptonite panda";
  if (verb === "country") return "/cyber country new zealand";
  if (verb === "target") return "/cyber target nz";
  if (verb === "sector") return "/cyber sector healthcare";
  if (verb === "malware") return "/cyber malware plugx";
  if (verb === "cve") return "/cyber cve CVE-2024-3400";
  return "/cyber sponsor china";
}
