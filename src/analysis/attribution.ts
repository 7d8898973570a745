// Attribution phrasing ("Chinese state-sponsored", "backed by Beijing") and capitals used for governments.

import { CYBER_CUES, has, wordSet } from "./cues.js";
import { nearby } from "./surface.js";
import { codeAt } from "./token-keys.js";
import { JOIN, POSS, SENT, type Tokens } from "./tokenizer.js";

const set = wordSet;

/** "China-backed", "Kremlin-linked", "state-sponsored": the word after a hyphen or a state word. */
const ATTRIBUTING_SUFFIX =
  set(`backed sponsored linked nexus aligned affiliated directed supported funded tied
  connected controlled`);
/** Nouns naming the attackers or their activity: "Chinese hackers", "Russian cyber espionage". */
const ACTOR_NOUNS = set(`hackers hacker hacking spies spy cyberspies apt apts operatives attackers espionage
  cyberespionage cyberattack cyberattacks intrusions operation operations disinformation propaganda`);
/** Nouns that name attackers only in a cyber story ("Chinese group APT40", not "Chinese group Fosun"). */
const GENERIC_NOUNS = set("actor actors operators group groups unit units agents campaign campaigns");
/** Modifiers allowed between the country and the noun. */
const MODIFIERS = set("state government military cyber nation threat intelligence hacking influence");
/** "backed by", "linked to", "aligned with", "on behalf of", "working for". */
const PARTICIPLES = set(`backed sponsored directed funded controlled ordered linked tied connected
  attributed ties links aligned affiliated behalf working traced blamed pinned`);
const LINKERS = set("by to with of for on");
const ACCUSING = set(`accused accusing accuses blamed blaming blames denounced denouncing denounces condemned
  condemning condemns attributed`);
const DENYING = set("denied denies deny rejected rejects dismissed dismisses");
const AUXILIARIES = set("has have had again also repeatedly always strongly flatly quickly swiftly");
/** What a government speaks through: "China's embassy in London rejected the claims". */
const SPOKESMEN = set(`embassy foreign ministry ministry government spokesperson spokesman spokeswoman mission
  officials office in at to the london washington un united nations`);
const BEHIND = set("behind");
const BASED = set("based");
const PRO = set("pro");
const FROM = set("from");
const THE = set("the");
const GOVERNMENT_VERBS =
  set(`said says has have had is was will would denied denies deny accused accuses blamed
  blames rejected rejects responded insists insisted warned warns claimed claims dismissed refused retaliated wants
  called condemned condemns urged urges announced sanctioned expelled summoned did does also vowed threatened
  ordered maintains sponsors backs backed uses used imposed lifted insists responded`);
const GOVERNMENT_OBJECTS = set(`accused accusing blamed blaming urged urging pressed warned told condemned
  condemning criticised criticized criticise criticize criticises criticizes sanctioned against denounced
  denouncing`);
const AND = set("and");
const LOCATIVE = set("in at from near outside around across within inside into via");

/** Token `k` hangs on the previous one by a hyphen: "China-backed". */
export const hyphened = (t: Tokens, k: number): boolean =>
  k > 0 && k < t.n && ((t.flags[k] as number) & JOIN) !== 0 && codeAt(t, (t.start[k] as number) - 1) === 45;

const attackerNoun = (t: Tokens, k: number): boolean =>
  has(ACTOR_NOUNS, t, k) || (has(GENERIC_NOUNS, t, k) && nearby(t, k, k, 12, CYBER_CUES));

/** True when the phrase around a country term attributes the activity to that country. */
export function attributes(t: Tokens, first: number, last: number): boolean {
  // "pro-Russian hacktivists": on that state's side, not working for it.
  if (hyphened(t, first) && has(PRO, t, first - 1)) return false;
  // After: "China-backed", "Chinese state-sponsored", "Russian military hackers", "Beijing denied".
  let k = last + 1;
  if (has(ATTRIBUTING_SUFFIX, t, k) && hyphened(t, k)) return true;
  for (let hops = 0; hops < 3 && k < t.n; hops++, k++) {
    if (attackerNoun(t, k) || (hops > 0 && has(ATTRIBUTING_SUFFIX, t, k))) return true;
    if (!has(MODIFIERS, t, k)) break;
  }
  if (has(BEHIND, t, last + 2) || has(BEHIND, t, last + 3)) return true;
  // "China-based threat actor": a base, when the attackers follow.
  if (has(BASED, t, last + 1) && hyphened(t, last + 1)) {
    for (let j = last + 2; j < last + 5 && j < t.n; j++) {
      if (attackerNoun(t, j)) return true;
      if (!has(MODIFIERS, t, j)) break;
    }
  }
  // Before: "backed by Beijing", "linked to Russia's GRU", "accused China", "hackers from China".
  let p = first - 1;
  if (has(FROM, t, p) && attackerNoun(t, p - 1)) return true;
  if (has(THE, t, p)) p--;
  if (has(ACCUSING, t, p)) return true;
  return has(LINKERS, t, p) && has(PARTICIPLES, t, p - 1);
}

/**
 * "<country> denied", "China's embassy in London rejected the claims": the state denies a role. That answers an
 * accusation, but alone it blames nobody ("the Kremlin denied any role in the cable cuts"); with a named actor
 * whose suspected sponsor it is, the article attributes the actor to it (see blame.ts).
 */
export function denies(t: Tokens, last: number): boolean {
  const speaker = ((t.flags[last] as number) & POSS) !== 0;
  for (let k = last + 1; k < t.n && k <= last + 6; k++) {
    if (((t.flags[k] as number) & SENT) !== 0) return false;
    if (has(DENYING, t, k)) return true;
    if (!has(AUXILIARIES, t, k) && !(speaker && has(SPOKESMEN, t, k))) return false;
  }
  return false;
}

/** A capital standing for its government: possessive, "-backed", a verb after it, or an accusation before. */
export function governmentSense(t: Tokens, first: number, last: number): boolean {
  // "an embassy in London", "flights from Beijing": a place.
  if (has(LOCATIVE, t, first - 1)) return false;
  if (((t.flags[last] as number) & POSS) !== 0) return true;
  if (has(ATTRIBUTING_SUFFIX, t, last + 1) && hyphened(t, last + 1)) return true;
  if (has(GOVERNMENT_VERBS, t, last + 1)) return true;
  const p = first - 1;
  if (has(GOVERNMENT_OBJECTS, t, p)) return true;
  if (has(LINKERS, t, p) && has(PARTICIPLES, t, p - 1)) return true;
  // "Washington and Canberra have ...": the verb after the second capital covers both.
  return has(AND, t, last + 1) && has(GOVERNMENT_VERBS, t, last + 3);
}
