// Subscription tag keys: the one format ("actor:APT40", "country:NZ", "target:NZ", "sector:healthcare", "cve:…",
// "keyword:electoral commission", "all"), the key lists a delivery names, and the keys a story matches (routing).

import type { ActorTag, CountryTag, MalwareTag, SectorTag } from "./article.js";

/** A canonical subscription tag key. Only `tagKey` makes one from a tag; the type rejects other shapes. */
export type TagKey =
  | `actor:${string}`
  | `country:${string}`
  | `sponsor:${string}`
  | `target:${string}`
  | `sector:${string}`
  | `malware:${string}`
  | `cve:${string}`
  | `keyword:${string}`
  | "all";

export type SubscriptionTag =
  | { kind: "actor"; id: string }
  /** The country in any role: mentioned, blamed or attacked. */
  | { kind: "country"; code: string }
  /** Only stories that blame the country. */
  | { kind: "sponsor"; code: string }
  /** Only stories in which the country (its government, organisations, people) was attacked. */
  | { kind: "target"; code: string }
  /** A victims' sector id from core/article.ts SECTORS. */
  | { kind: "sector"; id: string }
  /** A malware family's canonical galaxy name ("PlugX"). */
  | { kind: "malware"; id: string }
  /** A CVE id, any case ("cve-2024-3400" is CVE-2024-3400). */
  | { kind: "cve"; id: string }
  /** A phrase matched in a story's title or body with the word forms of full-text search. */
  | { kind: "keyword"; phrase: string }
  | { kind: "all" };

/** The exact CVE id format: CVE-, a four-digit year, four or more digits (any case as typed). */
export const CVE_ID = /^cve-\d{4}-\d{4,}$/i;

/**
 * A keyword phrase in its one form: lower case, every run of characters that are not letters, digits or marks
 * one space (full-text search splits words there too, so matching is unchanged and ", " never occurs in a key).
 */
export const normalisePhrase = (phrase: string): string =>
  phrase
    .normalize("NFC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}]+/gu, " ")
    .trim();

/** The one format of a tag key: actor and malware ids as they are, country codes and CVE ids upper-case. */
export function tagKey(tag: SubscriptionTag): TagKey {
  switch (tag.kind) {
    case "actor":
      return `actor:${tag.id}`;
    case "country":
      return `country:${tag.code.toUpperCase()}`;
    case "sponsor":
      return `sponsor:${tag.code.toUpperCase()}`;
    case "target":
      return `target:${tag.code.toUpperCase()}`;
    case "sector":
      return `sector:${tag.id.toLowerCase()}`;
    case "malware":
      return `malware:${tag.id}`;
    case "cve":
      return `cve:${tag.id.toUpperCase()}`;
    case "keyword":
      return `keyword:${normalisePhrase(tag.phrase)}`;
    case "all":
      return "all";
  }
}

/** The phrase of a keyword key ("keyword:electoral commission" → "electoral commission"); null for other keys. */
export const keywordOf = (key: string): string | null =>
  key.startsWith("keyword:") ? key.slice("keyword:".length) : null;

const SEPARATOR = ", ";

/** The keys that matched a delivery as one line, sorted and without repeats: "actor:APT40, all, country:NZ". */
export function formatTagList(keys: readonly TagKey[]): string {
  if (keys.length === 1) return keys[0] as TagKey;
  return [...new Set(keys)].sort(byCodeUnit).join(SEPARATOR);
}

/** The keys of a list made by `formatTagList`. */
export function parseTagList(list: string): TagKey[] {
  return list === "" ? [] : (list.split(SEPARATOR) as TagKey[]);
}

/** Plain code-unit order (what SQLite's default collation gives for the ASCII of tag keys). */
const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** What the matching rule reads of a story (stories stored before issue 15 have no sectors, malware or CVEs). */
export interface TaggedStory {
  actors: ActorTag[];
  countries: CountryTag[];
  cyber: boolean;
  sectors?: readonly Pick<SectorTag, "id">[];
  malware?: readonly Pick<MalwareTag, "id">[];
  cves?: readonly string[];
}

/**
 * The subscription keys a story matches: "all" when it is cyber (a film review that names a sandworm is stored
 * and searchable, but `all` subscribers are not alerted), each actor, each country in any role ("country:NZ"),
 * each country it blames ("sponsor:CN") and each one attacked ("target:NZ"), its sectors, malware and CVE ids.
 * Keyword watches match the story's text, not its tags (store/keywords.ts).
 */
export function storyTagKeys(story: TaggedStory): TagKey[] {
  const keys = new Set<TagKey>(story.cyber ? ["all"] : []);
  for (const a of story.actors) keys.add(tagKey({ kind: "actor", id: a.id }));
  for (const c of story.countries) {
    keys.add(tagKey({ kind: "country", code: c.code }));
    if (c.roles.includes("sponsor")) keys.add(tagKey({ kind: "sponsor", code: c.code }));
    if (c.roles.includes("target")) keys.add(tagKey({ kind: "target", code: c.code }));
  }
  for (const s of story.sectors ?? []) keys.add(tagKey({ kind: "sector", id: s.id }));
  for (const m of story.malware ?? []) keys.add(tagKey({ kind: "malware", id: m.id }));
  for (const id of story.cves ?? []) keys.add(tagKey({ kind: "cve", id }));
  return [...keys];
}
