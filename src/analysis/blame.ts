// Blame, not nationality: a named actor's suspected sponsor is a sponsor only where the article attributes it.

import type { Evidence } from "../core/article.js";
import { hyphened } from "./attribution.js";
import { has, wordSet } from "./cues.js";
import { hashKey } from "./token-keys.js";
import { SENT, type Tokens } from "./tokenizer.js";

const set = wordSet;

/** An accepted actor mention: the actor's index, its tokens and its evidence. */
export interface ActorMention {
  actor: number;
  first: number;
  last: number;
  evidence: Evidence;
}

/** An accepted country mention, in token order. */
export interface CountryMention {
  country: number;
  first: number;
  last: number;
  /** The state denies a role ("Beijing denied", "China's embassy rejected the claims"): see attribution.ts. */
  denied: boolean;
}

/**
 * Words that, in the sentence naming the actor, say whose it is: "state-sponsored", "backed by", "linked to",
 * "attributed", "working for its intelligence service", "military hackers". Not a base or a nationality.
 */
const ATTRIBUTING = set(`sponsored backed linked affiliated attributed attributes attributing blamed blames
  blaming behalf directed tied ties nexus aligned intelligence military spy spies`);
/** Words that end a close pairing of country and actor: a speaker, a place, a victim. */
const BARRIERS = set(`said says told say in at from against on targeting targeted target attacked hit breached
  into across and or with not than`);
const GOVERNMENT = hashKey("government");
const PRO = hashKey("pro");
/** "a pro-government hacking group": sides with the state it names. */
const proGovernment = (t: Tokens, k: number): boolean =>
  t.hash[k] === GOVERNMENT && t.hash[k - 1] === PRO && hyphened(t, k);
/** "no evidence", "not ... linked", "never accused": a denied link blames nobody. */
const NEGATIONS = set("not no never nothing denied denies without");
const REACH = 12;
const CLOSE = 5;

const opens = (t: Tokens, k: number): boolean => ((t.flags[k] as number) & SENT) !== 0;

/** Tokens strictly between `a` and `b` hold no sentence start and no barrier word. */
function tied(t: Tokens, a: number, b: number): boolean {
  if (b - a - 1 > CLOSE) return false;
  for (let k = a + 1; k <= b; k++) if (opens(t, k)) return false;
  for (let k = a + 1; k < b; k++) if (has(BARRIERS, t, k)) return false;
  return true;
}

/** An attributing word near the actor in its sentence, with no negation before it in that stretch. */
function attributedNearby(t: Tokens, m: ActorMention): boolean {
  let lo = m.first;
  while (lo > 0 && lo > m.first - REACH && !opens(t, lo)) lo--;
  let hi = m.last;
  while (hi + 1 < t.n && hi < m.last + REACH && !opens(t, hi + 1)) hi++;
  let negated = false;
  for (let k = lo; k <= hi; k++) {
    if (k >= m.first && k <= m.last) continue;
    if (has(NEGATIONS, t, k)) negated = true;
    else if ((has(ATTRIBUTING, t, k) || proGovernment(t, k)) && !negated) return true;
  }
  return false;
}

/**
 * The sponsors the article blames through its named actors: the actor's suspected sponsor (`sponsorOf`, -1 for
 * none) counts when that country is named in the same text and either stands right by the actor ("China's APT40",
 * "APT29, a Russian group"), or the actor's sentence attributes it ("state-sponsored", "linked to", "on behalf
 * of"), or that state denies a role (an answer to the accusation the article reports). An actor named in passing, or a criminal group's home country, blames nobody. Returns, per blamed
 * country, the evidence of the actor mention that blames it.
 */
export function blamedSponsors(
  t: Tokens,
  actors: readonly ActorMention[],
  countries: readonly CountryMention[],
  sponsorOf: Int32Array,
): Map<number, Evidence> {
  const blamed = new Map<number, Evidence>();
  const named = new Set<number>();
  const denied = new Set<number>();
  for (const c of countries) {
    named.add(c.country);
    if (c.denied) denied.add(c.country);
  }
  for (const m of actors) {
    const s = sponsorOf[m.actor] ?? -1;
    if (s < 0 || blamed.has(s) || !named.has(s)) continue;
    if (denied.has(s) || closeBy(t, m, s, countries) || attributedNearby(t, m)) blamed.set(s, m.evidence);
  }
  return blamed;
}

/** A mention of country `s` right before or after the actor mention, tied to it (see `tied`). */
function closeBy(t: Tokens, m: ActorMention, s: number, countries: readonly CountryMention[]): boolean {
  for (let i = firstEndingFrom(countries, m.first - CLOSE - 1); i < countries.length; i++) {
    const c = countries[i] as CountryMention;
    if (c.first > m.last + CLOSE + 1) break;
    if (c.country !== s) continue;
    if ((c.last < m.first && tied(t, c.last, m.first)) || (c.first > m.last && tied(t, m.last, c.first))) {
      return true;
    }
  }
  return false;
}

/** The index of the first item (in token order) whose last token is at or after `pos`: a binary search. */
export function firstEndingFrom(list: readonly { last: number }[], pos: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as { last: number }).last < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
