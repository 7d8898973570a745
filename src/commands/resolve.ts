// Resolves what a user typed (aliases, names, codes, demonyms) to canonical actors and countries.

import type { ActorInfo, CountryInfo, NameMatch } from "../analysis/types.js";
import type { SubscriptionTag } from "../core/tags.js";
import type { TagArg } from "./parse.js";

/** The part of the gazetteer the command layer uses. */
export interface NameResolver {
  resolveActor(text: string): ActorInfo | undefined;
  resolveCountry(text: string): CountryInfo | undefined;
  actor(id: string): ActorInfo | undefined;
  country(code: string): CountryInfo | undefined;
  suggest(text: string, limit: number): NameMatch[];
  prefixSearch(text: string, limit: number): NameMatch[];
}

export type Resolved =
  | { kind: "actor"; actor: ActorInfo }
  | { kind: "country"; country: CountryInfo; sponsorOnly: boolean }
  | { kind: "all" }
  | {
      kind: "unknown";
      typed: string;
      wanted: "actor" | "country" | "actor or country";
      suggestions: NameMatch[];
    };

export function resolveTag(names: NameResolver, tag: TagArg): Resolved {
  if (tag.kind === "all") return { kind: "all" };
  const value = tag.value.trim();
  if (tag.kind === "actor" || tag.kind === "any") {
    const actor = names.resolveActor(value);
    if (actor) return { kind: "actor", actor };
  }
  if (tag.kind !== "actor") {
    const country = names.resolveCountry(value);
    if (country) return { kind: "country", country, sponsorOnly: tag.kind === "sponsor" };
  }
  const wanted = tag.kind === "actor" ? "actor" : tag.kind === "any" ? "actor or country" : "country";
  const suggestions = names
    .suggest(value, 6)
    .filter((s) => wanted === "actor or country" || s.kind === wanted)
    .slice(0, 3);
  return { kind: "unknown", typed: value, wanted, suggestions };
}

/** The canonical subscription tag for a resolved name. */
export function subscriptionTag(r: Resolved): SubscriptionTag | null {
  if (r.kind === "actor") return { kind: "actor", id: r.actor.id };
  if (r.kind === "country")
    return r.sponsorOnly
      ? { kind: "sponsor", code: r.country.code }
      : { kind: "country", code: r.country.code };
  if (r.kind === "all") return { kind: "all" };
  return null;
}

/** "did you mean APT40 or APT41?" phrasing, or "" when there is nothing close. */
export function didYouMean(suggestions: NameMatch[]): string {
  const labels = [...new Set(suggestions.map((s) => s.label))];
  if (labels.length === 0) return "";
  const last = labels.pop() as string;
  return `Did you mean ${labels.length ? `${labels.join(", ")} or ${last}` : last}?`;
}
