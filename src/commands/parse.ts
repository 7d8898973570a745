// The /cyber command language: text in, an Intent out. Never throws; a mistake becomes a `usage` intent.

import type { DigestSchedule } from "../core/digest.js";
import { CVE_ID } from "../core/tags.js";
import { parseFeed, parseTrend, takeSchedule } from "./parse-args.js";
import { clean, parseTag, splitWords, TAG_RE, type TagArg, takePage } from "./parse-words.js";

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
