// Victims named without their country ("the Electoral Commission", "parliament", "hospitals"): the article's home country.

import { firstEndingFrom } from "./blame.js";
import { has, wordSet } from "./cues.js";
import { type Mention, pronounOfAttack, victim } from "./targets.js";
import { commaBetween } from "./token-keys.js";
import { SENT, type Tokens } from "./tokenizer.js";

const set = wordSet;

/**
 * A country's own institutions, people and infrastructure, named without the country: "breached parliament",
 * "targeted MPs", "the Electoral Commission's servers were accessed", "hospitals were hit". Companies and firms are
 * left out: they are as often foreign as domestic.
 */
const INSTITUTIONS =
  set(`parliament parliaments parliamentary mps lawmakers parliamentarians legislators legislature
  senators senate congress ministers ministry ministries departments department commission committee council
  councils party parties government agencies embassies diplomats officials servants election elections electoral
  voters hospitals hospital nhs utilities utility grid universities police army navy military units office
  counsel workers employees staff treasury institutions`);
/** "county workers received phishing emails": receiving an attack. */
const RECEIVING = set("received receiving receive receives opened got");
const ATTACKS = set("phishing spearphishing malware ransomware malicious lures");
const ITS = set("its their");
/** "A Ukrainian man", "two Chinese nationals": a person's nationality, not the country the story is about. */
const PEOPLE = set(`man woman men women national nationals citizen citizens suspect suspects hacker hackers
  student students businessman businessmen`);
/** Either kind of word, and a byte per hash bucket that rules most tokens out without a Set lookup. */
const GATE = new Set([...INSTITUTIONS, ...ITS]);
const MASK = (1 << 16) - 1;
const GATE_BITS = new Uint8Array(MASK + 1);
for (const h of GATE) GATE_BITS[h & MASK] = 1;

const opens = (t: Tokens, k: number): boolean => ((t.flags[k] as number) & SENT) !== 0;

/** An institution (or "its"/"their") at `k` named as a victim, or a receiver of an attack. */
function victimAt(t: Tokens, k: number): boolean {
  if (has(INSTITUTIONS, t, k)) return victim(t, k, k) || receives(t, k);
  return has(ITS, t, k) && pronounOfAttack(t, k);
}

const receives = (t: Tokens, k: number): boolean =>
  has(RECEIVING, t, k + 1) && (has(ATTACKS, t, k + 2) || has(ATTACKS, t, k + 3));

/** "Ministry of State Security": the word is part of a country's agency name. */
function insideName(k: number, mentions: readonly Mention[]): boolean {
  const m = mentions[firstEndingFrom(mentions, k)];
  return m !== undefined && m.first <= k;
}

/** "in three European countries", "worldwide": the institutions are elsewhere, not the home country's. */
const ELSEWHERE = set(`countries nations states worldwide globally abroad overseas region regions world europe
  asia africa americas`);
/** "ministries in Germany", "the parliament of Georgia": the country named after the institution. */
const OF_IN = set("in of at across throughout");

/**
 * The institution's own country is named in its phrase, or it is elsewhere: "New Zealand's parliament", "British
 * MPs" (a country up to 4 words before, no comma between), "ministries in Germany", "hospitals worldwide" (up to
 * 6 words after, through "in"/"of"). Then the home country is not the victim here.
 */
function ownerNamed(t: Tokens, k: number, mentions: readonly Mention[]): boolean {
  for (let i = firstEndingFrom(mentions, k - 4); i < mentions.length; i++) {
    const m = mentions[i] as Mention;
    if (m.last >= k) break;
    if (!m.sponsor && !crosses(t, m.last, k)) return true;
  }
  let linked = false;
  let i = firstEndingFrom(mentions, k + 1);
  for (let j = k + 1; j < t.n && j <= k + 6 && !opens(t, j); j++) {
    if (has(ELSEWHERE, t, j)) return true;
    if (has(OF_IN, t, j)) linked = true;
    while (i < mentions.length && (mentions[i] as Mention).first < j) i++;
    const m = mentions[i];
    if (linked && m !== undefined && m.first === j && !m.sponsor) return true;
  }
  return false;
}

/** A sentence start or a comma between tokens `a` and `b`. */
function crosses(t: Tokens, a: number, b: number): boolean {
  for (let j = a + 1; j <= b; j++) {
    if (opens(t, j) || commaBetween(t, j - 1, j)) return true;
  }
  return false;
}

/** Victims named as institutions count in the lead: the first words of the text, where a report names them. */
const LEAD = 200;

/**
 * The home country's index into `mentions` when the text's lead names one of its institutions as a victim without
 * naming the country there; -1 otherwise (and when the home country is a target already). The home country is the
 * first country the text names that is not blamed and not a person's nationality (the one reporting, sanctioning
 * or summoning: "The United Kingdom has sanctioned ... Ministers said the group accessed the Electoral
 * Commission's servers"). `targets[i]` says whether mention `i` is a target already.
 */
export function homeVictim(
  t: Tokens,
  mentions: readonly Mention[],
  targets: readonly { target: boolean }[],
): number {
  let blamed: Set<number> | undefined;
  for (const m of mentions) {
    if (!m.sponsor) continue;
    blamed ??= new Set();
    blamed.add(m.country);
  }
  let home = -1;
  for (let i = 0; i < mentions.length && home < 0; i++) {
    const m = mentions[i] as Mention;
    if (!blamed?.has(m.country) && !has(PEOPLE, t, m.last + 1)) home = i;
  }
  if (home < 0) return -1;
  const country = (mentions[home] as Mention).country;
  for (let i = 0; i < mentions.length; i++) {
    if ((mentions[i] as Mention).country === country && targets[i]?.target) return -1;
  }
  const end = Math.min(t.n, LEAD);
  for (let k = 0; k < end; k++) {
    if ((GATE_BITS[(t.hash[k] as number) & MASK] as number) === 0) continue;
    if (
      GATE.has(t.hash[k] as number) &&
      !insideName(k, mentions) &&
      victimAt(t, k) &&
      !ownerNamed(t, k, mentions)
    )
      return home;
  }
  return -1;
}
