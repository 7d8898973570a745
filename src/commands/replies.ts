// Builders for the neutral Reply: lists of story cards, help, usage and apologies.

import { SECTORS } from "../core/article.js";
import type { Reply, ReplyField, ReplyKind, StoryCard } from "../core/cards.js";
import { MAX_KEYWORDS_PER_CHANNEL, MAX_PHRASE_CHARS, MAX_PHRASE_WORDS } from "../store/subscriptions.js";

/** Kinds only the asker ever sees, whatever an adapter's reply-visibility setting says. */
const PRIVATE_KINDS: ReadonlySet<ReplyKind> = new Set(["help", "usage", "error", "refused"]);

/**
 * The one visibility rule: help, usage, errors and refusals (and any reply flagged private) go to the asker only.
 * When false, the adapter's own reply-visibility setting decides. Adapters ask this; they never re-decide it.
 */
export function isPrivate(reply: Pick<Reply, "kind" | "private">): boolean {
  return reply.private || PRIVATE_KINDS.has(reply.kind);
}

export function reply(
  kind: ReplyKind,
  headline: string,
  more: Partial<Omit<Reply, "kind" | "headline">> = {},
): Reply {
  return {
    kind,
    headline,
    text: more.text ?? [],
    fields: more.fields ?? [],
    stories: more.stories ?? [],
    ...(more.footer ? { footer: more.footer } : {}),
    ...(more.errorId ? { errorId: more.errorId } : {}),
    ...(more.image ? { image: more.image } : {}),
    private: isPrivate({ kind, private: more.private ?? false }),
  };
}

/** "Showing 6–10 of 37. Older: /cyber apt40 page 3" when there is more to see. */
export function pageFooter(
  total: number,
  page: number,
  shown: number,
  perPage: number,
  command: string,
  capped = false,
): string | undefined {
  const first = (page - 1) * perPage + 1;
  const last = first + shown - 1;
  if (total <= last && page === 1) return undefined;
  const all = capped ? `${total}+` : String(total);
  if (shown === 0) return pastTheEnd(total, all, page, perPage, command);
  const range = `Showing ${first}–${last} of ${all}.`;
  return total > last ? `${range} Older: ${command} page ${page + 1}` : range;
}

/** "Page 5 is past the end: there are 7 stories, on pages 1–2. Newest: /cyber apt40" */
function pastTheEnd(total: number, all: string, page: number, perPage: number, command: string): string {
  const pages = Math.ceil(total / perPage);
  const there =
    total === 0 ? "there are no stories" : total === 1 ? "there is 1 story" : `there are ${all} stories`;
  const where = all.endsWith("+") || total === 0 ? "" : pages === 1 ? ", on page 1" : `, on pages 1–${pages}`;
  return `Page ${page} is past the end: ${there}${where}. Newest: ${command}`;
}

export const plural = (n: number, word: string): string => {
  if (n === 1) return `${n} ${word}`;
  // "story" → "stories", "story blaming it" → "stories blaming it"
  const [head = word, ...tail] = word.split(" ");
  const many = /[^aeiou]y$/.test(head) ? `${head.slice(0, -1)}ies` : `${head}s`;
  return `${n} ${[many, ...tail].join(" ")}`;
};

export function listReply(
  headline: string,
  stories: StoryCard[],
  opts: { text?: string[]; fields?: ReplyField[]; footer?: string },
): Reply {
  return reply("answer", headline, {
    stories,
    text: opts.text ?? [],
    fields: opts.fields ?? [],
    footer: opts.footer,
  });
}

export const HELP_LINES: Array<[string, string]> = [
  [
    "/cyber <name or words>",
    "an actor by any alias (apt40, kryptonite panda), a country (nz, chinese), or a search",
  ],
  ["/cyber actor <alias>", "the actor card and its latest stories"],
  ["/cyber country <name>", "stories about a country, with its role in each (blamed, target or mentioned)"],
  ["/cyber sponsor <country>", "only the stories that blame that country"],
  ["/cyber target <country>", "only the stories in which that country was attacked (also target:nz)"],
  [
    "/cyber sector <id>",
    "stories whose victims are in a sector (healthcare, elections, finance…; also sector:healthcare)",
  ],
  [
    "/cyber malware <name>",
    "stories naming a malware family by any alias (plugx, korplug; also malware:plugx)",
  ],
  ["/cyber CVE-2024-3400", "stories naming a CVE id (any case)"],
  ["/cyber search <words>", "full-text search; quotes keep words together"],
  [
    "/cyber trend <tag> [52w]",
    'a bar chart of stories per week over 26 weeks (52w: a year) for an actor, country, sponsor:cn, target:nz, sector, malware or keyword:"a phrase"',
  ],
  ["/cyber latest [n]", "the newest stories (up to 5)"],
  ["/cyber story <id>", "one story in full, with the words behind every tag"],
  ["/cyber why <id>", "why a story was tagged, where it came from, and whether this channel got it"],
  [
    "/cyber subscribe <tag> [daily|weekly [HH:MM]]",
    'alerts in this channel: actor:apt40, country:nz, sponsor:cn, target:nz, sector:healthcare, malware:plugx, cve:CVE-2024-3400, keyword:"a phrase" or all; or one digest a day or a week',
  ],
  ["/cyber unsubscribe <tag>", "stop those alerts"],
  ["/cyber subscriptions", "what this channel follows"],
  ["/cyber feeds", "the news feeds polled, with their health"],
  ["/cyber feed add <url> [name]", "poll a public RSS, Atom or JSON feed (channel managers)"],
  ["/cyber feed remove <id>", "stop a feed this channel added (channel managers)"],
];

const TOPIC_HELP: Record<string, string> = {
  actor:
    "Actors go by many names: APT40, Kryptonite Panda, Gingham Typhoon and Leviathan are one actor. Type any of them.",
  country: "Countries by code (nz), name (new zealand) or demonym (chinese). Add `page 2` for older stories.",
  sponsor: "`sponsor` lists only the stories that blame the country, e.g. /cyber sponsor china.",
  target:
    "`target` lists only the stories in which the country was attacked, e.g. /cyber target nz or /cyber target:nz.",
  sector: `Sectors of the victims: ${SECTORS.join(", ")}. E.g. /cyber sector healthcare.`,
  malware:
    "Malware by any alias from the Malpedia and ransomware galaxies: /cyber malware plugx, /cyber malware korplug.",
  cve: "A CVE id, any case: /cyber CVE-2024-3400 or /cyber cve-2024-3400.",
  search:
    'Every word must appear; quote a phrase: /cyber search "electoral commission". Operators are searched as plain text.',
  trend:
    'A chart of stories per week: /cyber trend apt40, /cyber trend sponsor:cn 52w, /cyber trend sector:healthcare, /cyber trend keyword:"electoral commission". 26 weeks unless you add a number of weeks from 4 to 104 (52w is a year); the last bar is the current week so far.',
  latest:
    "/cyber latest shows the 5 newest stories; /cyber latest 3 shows three; add `page 2` for older ones.",
  story: "Story ids are the short codes in square brackets in every list, e.g. /cyber story 3fa9c2d1.",
  why: "/cyber why 3fa9c2d1 answers only you: each tag with the words that triggered it, the story's sources, and whether this channel was alerted (when, or why not).",
  subscribe: `Tags: actor:<any alias>, country:<code or name> (any role), sponsor:<country> (blamed only), target:<country> (attacked only), sector:<id> (${SECTORS.join(", ")}), malware:<any alias>, cve:CVE-YYYY-NNNN, keyword:"<phrase>" (the title or text contains it, in the word forms search finds; up to ${MAX_PHRASE_CHARS} characters and ${MAX_PHRASE_WORDS} words, ${MAX_KEYWORDS_PER_CHANNEL} per channel), or all. Add daily or weekly (Mondays), and a time (HH:MM, 24-hour; 08:00 by default), for one digest message instead of a message per story: /cyber subscribe country:nz daily 08:00. Subscribing again without it goes back to a message per story. Changing subscriptions needs the channel's managers' permission.`,
  feeds:
    "Feeds (RSS, Atom, JSON Feed) bring stories beside the seeds folder. A feed's first poll stores what it holds without alerting; later items are alerted to channels subscribed to their tags. Adding and removing feeds needs the channel's managers' permission; only public http(s) addresses can be added from chat.",
};

export function helpReply(topic?: string): Reply {
  const key =
    topic &&
    (topic.startsWith("sub") || topic.startsWith("unsub")
      ? "subscribe"
      : topic.startsWith("feed")
        ? "feeds"
        : topic);
  const extra = key ? TOPIC_HELP[key] : undefined;
  return reply("help", "cyberbrief: state-sponsored hacking news, tagged by actor and country", {
    text: extra
      ? [extra]
      : ["Ask about a threat actor or a country, search the stories, or subscribe this channel to alerts."],
    fields: HELP_LINES.map(([label, value]) => ({ label, value })),
    footer: "Try: /cyber apt40 · /cyber nz · /cyber subscribe country:nz",
  });
}

export function usageReply(problem: string, topic?: string): Reply {
  const help = helpReply(topic);
  return reply("usage", problem, {
    text: topic && TOPIC_HELP[topic] ? [TOPIC_HELP[topic] as string] : [],
    fields: help.fields,
  });
}
