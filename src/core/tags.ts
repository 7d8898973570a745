// Subscription tag keys: the one format ("actor:APT40", "country:NZ", "sponsor:CN", "all") and the key lists
// a delivery names ("actor:APT40, country:NZ"), and the keys a story matches (the routing rule).

import type { ActorTag, CountryTag } from "./article.js";

/** A canonical subscription tag key. Only `tagKey` makes one from a tag; the type rejects other shapes. */
export type TagKey = `actor:${string}` | `country:${string}` | `sponsor:${string}` | "all";

export type SubscriptionTag =
  | { kind: "actor"; id: string }
  /** The country in any role: mentioned or blamed. */
  | { kind: "country"; code: string }
  /** Only stories that blame the country. */
  | { kind: "sponsor"; code: string }
  | { kind: "all" };

/** The one format of a tag key: actor ids as they are, country codes upper-case. */
export function tagKey(tag: SubscriptionTag): TagKey {
  switch (tag.kind) {
    case "actor":
      return `actor:${tag.id}`;
    case "country":
      return `country:${tag.code.toUpperCase()}`;
    case "sponsor":
      return `sponsor:${tag.code.toUpperCase()}`;
    case "all":
      return "all";
  }
}

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

/**
 * The subscription keys a story matches: "all" when it is cyber (a film review that names a sandworm is stored
 * and searchable, but `all` subscribers are not alerted), each actor, each country in any role ("country:NZ":
 * mentioned or blamed) and each country it blames ("sponsor:CN").
 */
export function storyTagKeys(story: {
  actors: ActorTag[];
  countries: CountryTag[];
  cyber: boolean;
}): TagKey[] {
  const keys = new Set<TagKey>(story.cyber ? ["all"] : []);
  for (const a of story.actors) keys.add(tagKey({ kind: "actor", id: a.id }));
  for (const c of story.countries) {
    keys.add(tagKey({ kind: "country", code: c.code }));
    if (c.roles.includes("sponsor")) keys.add(tagKey({ kind: "sponsor", code: c.code }));
  }
  return [...keys];
}
