// Resolves what a user typed (aliases, names, codes, demonyms, sectors, malware, CVE ids, phrases) to canonical tags.

import { sectorOfPhrase } from "../analysis/sector-terms.js";
import type { ActorInfo, CountryInfo, NameMatch } from "../analysis/types.js";
import { SECTORS } from "../core/article.js";
import { CVE_ID, normalisePhrase, type SubscriptionTag } from "../core/tags.js";
import { MAX_PHRASE_CHARS, MAX_PHRASE_WORDS } from "../store/subscriptions.js";
import type { MalwareName, MalwareNames } from "./malware-names.js";
import type { TagArg } from "./parse-words.js";

/** The part of the gazetteer the command layer uses. */
export interface NameResolver {
  resolveActor(text: string): ActorInfo | undefined;
  resolveCountry(text: string): CountryInfo | undefined;
  actor(id: string): ActorInfo | undefined;
  country(code: string): CountryInfo | undefined;
  suggest(text: string, limit: number): NameMatch[];
  prefixSearch(text: string, limit: number): NameMatch[];
}

/** A country's role a tag asks about: any, blamed (`sponsor:`) or attacked (`target:`). */
export type CountryFilter = "any" | "sponsor" | "target";

export type Resolved =
  | { kind: "actor"; actor: ActorInfo }
  | { kind: "country"; country: CountryInfo; role: CountryFilter }
  | { kind: "sector"; id: string }
  | { kind: "malware"; malware: MalwareName }
  | { kind: "cve"; id: string }
  | { kind: "keyword"; phrase: string }
  | { kind: "all" }
  /** Typed as a sector, malware, CVE id or phrase, but not a valid one: `problem` says why, in one line. */
  | { kind: "invalid"; problem: string }
  | {
      kind: "unknown";
      typed: string;
      wanted: "actor" | "country" | "actor or country";
      suggestions: NameMatch[];
    };

const SECTOR_LIST = SECTORS.join(", ");

export function resolveTag(names: NameResolver, tag: TagArg, malware?: MalwareNames): Resolved {
  if (tag.kind === "all") return { kind: "all" };
  const value = tag.value.trim();
  switch (tag.kind) {
    case "sector":
      return resolveSector(value);
    case "cve":
      return CVE_ID.test(value)
        ? { kind: "cve", id: value.toUpperCase() }
        : {
            kind: "invalid",
            problem: `"${value.slice(0, 40)}" is not a CVE id: write CVE-, a four-digit year and four or more digits, e.g. cve:CVE-2024-3400`,
          };
    case "keyword":
      return resolveKeyword(value);
    case "malware":
      return resolveMalware(value, malware);
  }
  if (tag.kind === "actor" || tag.kind === "any") {
    const actor = names.resolveActor(value);
    if (actor) return { kind: "actor", actor };
  }
  if (tag.kind !== "actor") {
    const country = names.resolveCountry(value);
    const role = tag.kind === "sponsor" || tag.kind === "target" ? tag.kind : "any";
    if (country) return { kind: "country", country, role };
  }
  const wanted = tag.kind === "actor" ? "actor" : tag.kind === "any" ? "actor or country" : "country";
  const suggestions = names
    .suggest(value, 6)
    .filter((s) => wanted === "actor or country" || s.kind === wanted)
    .slice(0, 3);
  return { kind: "unknown", typed: value, wanted, suggestions };
}

function resolveSector(value: string): Resolved {
  const id = value.toLowerCase().replace(/[\s_]+/g, "-");
  if ((SECTORS as readonly string[]).includes(id)) return { kind: "sector", id };
  // "hospitals" is a healthcare victim, "health" the start of healthcare: say which sector was meant.
  const starts = SECTORS.filter((s) => id.length >= 3 && s.startsWith(id));
  const meant = sectorOfPhrase(value) ?? (starts.length === 1 ? starts[0] : undefined);
  const hint = meant ? ` Did you mean sector:${meant}?` : "";
  return {
    kind: "invalid",
    problem: `"${value.slice(0, 40)}" is not a sector.${hint} The sectors are: ${SECTOR_LIST}`,
  };
}

function resolveMalware(value: string, malware: MalwareNames | undefined): Resolved {
  const found = malware?.resolve(value);
  if (found) return { kind: "malware", malware: found };
  const close = malware?.suggest(value, 3) ?? [];
  const hint =
    close.length > 0 ? ` Did you mean ${close.join(", ")}?` : " Check the spelling, e.g. malware:plugx.";
  return { kind: "invalid", problem: `I don't know malware called "${value.slice(0, 40)}".${hint}` };
}

/** Words too common to watch on their own ("the", "of"): a phrase of only these would match nearly everything. */
const FILLER_WORDS = new Set(
  "the and for but not are was were has have had its it's this that with from into onto over than then they them"
    .split(" ")
    .concat("an as at be by he if in is it me my no of on or so to up us we".split(" ")),
);

function resolveKeyword(value: string): Resolved {
  if (value.length > MAX_PHRASE_CHARS)
    return {
      kind: "invalid",
      problem: `That phrase has ${value.length} characters; a keyword watch takes at most ${MAX_PHRASE_CHARS} (and ${MAX_PHRASE_WORDS} words), e.g. keyword:"electoral commission"`,
    };
  const phrase = normalisePhrase(value);
  const words = phrase ? phrase.split(" ").length : 0;
  if (words === 0)
    return {
      kind: "invalid",
      problem: 'A keyword watch needs words (letters or digits), e.g. keyword:"electoral commission"',
    };
  if (words > MAX_PHRASE_WORDS)
    return {
      kind: "invalid",
      problem: `That phrase has ${words} words; a keyword watch takes at most ${MAX_PHRASE_WORDS}, e.g. keyword:"electoral commission"`,
    };
  if (phrase.split(" ").every((w) => w.length < 2 || FILLER_WORDS.has(w)))
    return {
      kind: "invalid",
      problem: `"${phrase}" is in almost every story; watch a phrase that says something, e.g. keyword:"electoral commission"`,
    };
  return { kind: "keyword", phrase };
}

/** The canonical subscription tag for a resolved name. */
export function subscriptionTag(r: Resolved): SubscriptionTag | null {
  switch (r.kind) {
    case "actor":
      return { kind: "actor", id: r.actor.id };
    case "country":
      return r.role === "any"
        ? { kind: "country", code: r.country.code }
        : { kind: r.role, code: r.country.code };
    case "sector":
      return { kind: "sector", id: r.id };
    case "malware":
      return { kind: "malware", id: r.malware.id };
    case "cve":
      return { kind: "cve", id: r.id };
    case "keyword":
      return { kind: "keyword", phrase: r.phrase };
    case "all":
      return { kind: "all" };
    default:
      return null;
  }
}

/** "did you mean APT40 or APT41?" phrasing, or "" when there is nothing close. */
export function didYouMean(suggestions: NameMatch[]): string {
  const labels = [...new Set(suggestions.map((s) => s.label))];
  if (labels.length === 0) return "";
  const last = labels.pop() as string;
  return `Did you mean ${labels.length ? `${labels.join(", ")} or ${last}` : last}?`;
}
