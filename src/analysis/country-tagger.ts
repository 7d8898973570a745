// Country mentions from trie matches, with the traps: person names, US states, capitals as places.

import type { Evidence } from "../core/article.js";
import { attributes, denies, governmentSense, hyphened } from "./attribution.js";
import { type ActorMention, blamedSponsors } from "./blame.js";
import { CYBER_CUES } from "./cues.js";
import type { CountryEntry, Entry } from "./entries.js";
import { homeVictim } from "./home-victims.js";
import { caseOk, nearby, properAfter, properBefore, surface } from "./surface.js";
import { type Mention, pronounTargets, victim } from "./targets.js";
import { hashKey } from "./token-keys.js";
import type { Tokens } from "./tokenizer.js";
import type { Match } from "./trie.js";
import { usState } from "./us-state.js";

export interface CountryHit {
  country: number;
  evidence: Evidence;
  /** The phrase attributes the activity to this country (or names its spy agency). */
  sponsor: boolean;
  /** The phrase names this country (its government, bodies, people, networks) as attacked; never with `sponsor`. */
  target: boolean;
  /** A sponsor blamed through a named actor (the evidence is the actor's), not a mention of the country. */
  viaActor?: true;
  /** A place locating a victim ("a London law firm was breached"): a hit only as a target. */
  place?: true;
}

/**
 * The hits of an article that is not about hacking: victim phrasing ("attacked", "hit") makes no target there,
 * and its actor names are dropped, so they blame nobody either.
 */
export const notCyber = (hits: CountryHit[]): CountryHit[] =>
  hits.filter((h) => !h.viaActor && !h.place).map((h) => (h.target ? { ...h, target: false } : h));

const SPEAKING = hashKey("speaking");
const NO = 0;
const YES = 1;
/** A place: a hit only where the phrase names a victim there. */
const PLACE = 2;

function accept(t: Tokens, m: Match<Entry>, e: CountryEntry): number {
  if (!caseOk(t, m.first, m.last, e.match, e.exact)) return NO;
  if (e.person && (properAfter(t, m.last) || properBefore(t, m.first, true))) return NO;
  if (e.state && usState(t, m.first, m.last)) return NO;
  // "Russian-speaking gang": a language, not the country.
  if (e.term === "demonym" && t.hash[m.last + 1] === SPEAKING && hyphened(t, m.last + 1)) return NO;
  if (e.term === "capital" || e.term === "place") {
    // "Wellington Phoenix", "Arthur Wellington", "Texas Instruments": names of people and firms.
    if (properAfter(t, m.last) || properBefore(t, m.first, true)) return NO;
    // "in Beijing", "a London law firm": a place, not the government.
    if (e.term === "place" || !governmentSense(t, m.first, m.last)) return PLACE;
  }
  if (e.cue && !nearby(t, m.first, m.last, 12, CYBER_CUES)) return NO;
  return YES;
}

/**
 * Country hits of one text. `actors` are the actor mentions accepted in the same text and `sponsorOf` each actor's
 * suspected sponsor (a country index, -1 for none): an actor the text attributes adds a sponsor hit (see blame.ts).
 */
export function tagCountries(
  t: Tokens,
  matches: readonly Match<Entry>[],
  offsetBase: number,
  actors: readonly ActorMention[] = [],
  sponsorOf: Int32Array = new Int32Array(0),
): CountryHit[] {
  const hits: CountryHit[] = [];
  const mentions: Mention[] = [];
  let targets: Set<number> | undefined;
  for (const m of matches) {
    for (const e of m.entries) {
      if (e.kind !== "country") continue;
      const how = accept(t, m, e);
      if (how === NO) continue;
      const place = how === PLACE;
      const offset = offsetBase < 0 ? -1 : (t.start[m.first] as number) + offsetBase;
      const sponsor = !place && (e.intel || attributes(t, m.first, m.last));
      // The blamed country's own mention is never its victim evidence too. A country's roles are the union over
      // its mentions, so one already a target here needs no second look (a place hit still needs its own).
      const target = !sponsor && ((!place && targets?.has(e.country) === true) || victim(t, m.first, m.last));
      if (target) {
        targets ??= new Set();
        targets.add(e.country);
      }
      if (place && !target) continue;
      const evidence = { text: surface(t, m.first, m.last), offset };
      hits.push(
        place
          ? { country: e.country, evidence, sponsor, target, place }
          : { country: e.country, evidence, sponsor, target },
      );
      const denied = !sponsor && denies(t, m.last);
      mentions.push({ country: e.country, first: m.first, last: m.last, sponsor, denied });
      break;
    }
  }
  const blamed = actors.length > 0 ? blamedSponsors(t, actors, mentions, sponsorOf) : undefined;
  // A country blamed through its actor is no home country and owns no "its" victims either.
  if (blamed) for (const m of mentions) if (blamed.has(m.country)) m.sponsor = true;
  for (const i of pronounTargets(t, mentions)) (hits[i] as CountryHit).target = true;
  const home = homeVictim(t, mentions, hits);
  if (home >= 0) (hits[home] as CountryHit).target = true;
  if (blamed) {
    for (const [country, evidence] of blamed) {
      hits.push({ country, evidence, sponsor: true, target: false, viaActor: true });
    }
  }
  return hits;
}
