// Victim phrasing ("breached New Zealand's parliament", "Taiwan was targeted"): which country mentions are targets.

import { has, WordSet, wordSet } from "./cues.js";
import { commaBetween, hashKey } from "./token-keys.js";
import { CAP, NUM, SENT, type Tokens } from "./tokenizer.js";

const set = wordSet;

/** Verbs that take the victim as object: "targeting UK parliamentarians", "infected computers in the US". */
const ATTACK_VERBS =
  set(`targeting targeted targets target attacked attacking breached breaching hacked hacking
  infiltrated infiltrating infiltrate compromised compromising penetrated penetrating spied spying hitting hit struck
  striking disrupted disrupting crippled paralysed paralyzed defaced defacing infected infecting wiped wiping
  encrypted encrypting reach reached reaching hits knock knocks knocked knocking disabled disabling accessed impersonating impersonated
  cripples cripple`);
/** Nouns (and verbs) that take the victim after a preposition: "cyberattacks against several nations". */
const ATTACK_NOUNS =
  set(`attack attacks cyberattack cyberattacks intrusion intrusions breach breaches hack hacks
  espionage cyberespionage campaign campaigns operation operations spying surveillance phishing ransomware activity
  spies spy outage outages wiper malware backdoor backdoors implant implants exploit exploits lures broke broken
  breaking break exploitation`);
const NOUN_LINKS = set("on against into targeting at in");
/** Nouns whose "of" names the victim: "compromise of", "breach of" (of a network, not of contract: cyber only). */
const OF_NOUNS = set("compromise compromises breach breaches hack hacking infiltration penetration");
const OF = hashKey("of");
/** What an attack did to the victim, after "that"/"which": "an attack that forced London hospitals to ...". */
const IMPACT = set("forced disrupted crippled hit knocked took shut paralysed paralyzed affected");
const RELATIVES = set("that which");
/** "hacking group", "spying tools": a modifier, not a verb with an object. */
const MODIFIED =
  set(`group groups team teams unit units crew gang gangs tool tools campaign campaigns operation
  operations outfit collective cluster`);
/** "victims in Ecuador", "targets included government bodies in India". */
const VICTIMS = set("victim victims");
/** "observed in Australia": where activity was seen (the article is about hacking; see the analyser). */
const SEEN = set("observed detected seen spotted recorded identified");
/** "sent lures to officials in Turkey": sending, looked for before a "to". */
const SENDING = set("sent sending send sends delivered delivering emailed emailing");
/** "stealing documents from Venezuela's armed forces": taking, looked for before a "from". */
const TAKING =
  set(`stealing stole stolen steal steals exfiltrated exfiltrating leaking leaked took taking siphoned
  siphoning theft thefts drain drained draining`);
/** "cut water supply to Irish villages", "disrupted power to homes in Ukraine": service cut, before a "to". */
const CUTTING = set("cut cuts cutting severed severing disrupted disrupting interrupted interrupting");
/** "read email at 25 organisations", "stole the emails of officials": the mail's owner is the victim. */
const READING = set("read reading reads stole stealing accessed accessing exfiltrated downloaded");
const MAIL = set("email emails mail mailbox mailboxes inbox inboxes correspondence");
const MAIL_LINKS = set("at of from in");
/** Phrasal attacks, the verb before its particle: "took over controllers", "tampered with", "gone after". */
const PARTICLE_VERBS: ReadonlyMap<number, Set<number>> = new Map([
  [hashKey("over"), set("took taken taking take takes seized seizing")],
  [hashKey("with"), set("tampered tampering interfered interfering meddled meddling")],
  [hashKey("after"), set("gone going went goes go")],
]);
/** Verbs whose "against" names the victim: "used against its own state bodies". */
const AIMED = set("used deployed directed aimed turned launched levelled leveled");
const IN = hashKey("in");
const TO = hashKey("to");
const AGAINST = hashKey("against");
const ACCESS = hashKey("access");
const FROM = hashKey("from");
/** Words that end the object phrase walking back: a new clause, an agent, a speaker. */
const STOPS = set(`by from with for that which who whose when while after before because since said says told
  accused accuses blamed denied claimed warned not never than but although despite during over about under
  was were is are has have had`);
/** "about 25 organisations", "over 100 hospitals": before a number, a quantity, not a new phrase. */
const ABOUT = set("about over under nearly almost around");
/** Words after a comma that continue the object list: "against several nations, including the UK". */
const LIST_WORDS = set("including and or notably especially particularly such");
/** Auxiliaries of a passive: "New Zealand's parliament was breached". */
const AUXILIARIES = set(
  "was were is are been being be has have had also later repeatedly reportedly allegedly",
);
const BE = set("was were is are been being be");
const RELATIVE = set("which who");
const PASSIVE =
  set(`targeted attacked breached hacked compromised infiltrated penetrated hit struck spied disrupted
  crippled paralysed paralyzed defaced infected probed wiped encrypted knocked disabled`);
const AMONG = set("among the those");
const AMONG_WORDS = set("victims targets infected affected compromised hit");
/** A speaker or actor, not a victim: "... the attack, Australia said", "and Germany summoned ...". */
const SPEECH = set(`said says confirmed announced reported warned told accused blamed denied claimed summoned
  responded condemned urged sanctioned expelled attributed`);
const SUBJECT_ENDS = set(
  "said says told that which who whose when while because accused blamed by not never",
);
const DISCLOSING = set("disclosed reported confirmed admitted revealed suffered said says");
const REPORT_FILLERS = set("and or later also has have had the a similar new further more recent its");
const HOME = set("its their local domestic own");
const THAT = hashKey("that");
const ITS = hashKey("its");
const THEIR = hashKey("their");

const lower = (t: Tokens, k: number): boolean => ((t.flags[k] as number) & CAP) === 0;
const opens = (t: Tokens, k: number): boolean => ((t.flags[k] as number) & SENT) !== 0;
const commaBefore = (t: Tokens, k: number): boolean => commaBetween(t, k - 1, k);

/** Every word `governs` can start from: one check rules out the ordinary words of a sentence. */
const GOVERNING = new WordSet();
for (const words of [ATTACK_VERBS, OF_NOUNS, IMPACT, VICTIMS, AIMED, MAIL, ATTACK_NOUNS, SEEN])
  for (const h of words) GOVERNING.add(h);
for (const h of PARTICLE_VERBS.keys()) GOVERNING.add(h);

/** An attack word at `k` that governs what follows it (a noun only with its preposition after it). */
function governs(t: Tokens, k: number): boolean {
  if (!has(GOVERNING, t, k)) return false;
  if (has(ATTACK_VERBS, t, k)) return !has(MODIFIED, t, k + 1);
  // "a compromise of the Parliamentary Counsel Office", "the attack that forced London hospitals to close".
  if (has(OF_NOUNS, t, k) && t.hash[k + 1] === OF) return true;
  if (has(IMPACT, t, k) && has(RELATIVES, t, k - 1) && has(ATTACK_NOUNS, t, k - 2)) return true;
  if (has(VICTIMS, t, k)) return true;
  const particle = PARTICLE_VERBS.get(t.hash[k] as number);
  if (particle !== undefined && has(particle, t, k - 1)) return true;
  if (has(AIMED, t, k) && t.hash[k + 1] === AGAINST) return true;
  if (has(MAIL, t, k) && has(MAIL_LINKS, t, k + 1)) return before(t, k, 3, READING);
  if (has(ATTACK_NOUNS, t, k) && has(NOUN_LINKS, t, k + 1)) return true;
  return has(SEEN, t, k) && t.hash[k + 1] === IN;
}

/** A word from `words` up to `reach` tokens before `k` in its sentence. */
function before(t: Tokens, k: number, reach: number, words: Set<number>): boolean {
  for (let j = k - 1; j >= 0 && j >= k - reach && !opens(t, j + 1); j--) if (has(words, t, j)) return true;
  return false;
}

/** "breached New Zealand's parliament", "attacks on several nations, including the United Kingdom". */
function objectOfAttack(t: Tokens, first: number, last: number): boolean {
  if (has(SPEECH, t, last + 1)) return false;
  for (let k = first - 1; k >= 0 && k >= first - 14; k--) {
    if (opens(t, k + 1)) return false;
    // A comma continues the object before a list word or between two names or two nouns ("Germany, France").
    const listed = has(LIST_WORDS, t, k + 1) || lower(t, k + 1) === lower(t, k);
    if (commaBefore(t, k + 1) && !listed) return false;
    if (governs(t, k)) return true;
    if (t.hash[k] === AGAINST) return governs(t, k - 1);
    if (t.hash[k] === TO) {
      return t.hash[k - 1] === ACCESS || before(t, k, 12, SENDING) || before(t, k, 4, CUTTING);
    }
    if (t.hash[k] === FROM) return before(t, k, 8, TAKING);
    if (has(STOPS, t, k) && !(has(ABOUT, t, k) && ((t.flags[k + 1] as number) & NUM) !== 0)) return false;
  }
  return false;
}

/** "New Zealand's parliament was breached", "Devices in Taiwan were among those infected", "ministries targeted". */
function subjectOfPassive(t: Tokens, last: number): boolean {
  let k = last + 1;
  let words = 0;
  for (; words < 6 && k < t.n && !opens(t, k); words++, k++) {
    // "Guam, which hosts major bases, was among the victims": step over the relative clause.
    if (has(RELATIVE, t, k) && commaBefore(t, k)) {
      let j = k + 1;
      while (j < t.n && j < k + 12 && !opens(t, j) && !commaBefore(t, j)) j++;
      if (j < t.n && commaBefore(t, j) && !opens(t, j)) {
        k = j;
        if (has(AUXILIARIES, t, k)) break;
      }
    }
    if (has(AUXILIARIES, t, k) || has(SUBJECT_ENDS, t, k) || has(PASSIVE, t, k)) break;
  }
  if (k >= t.n || opens(t, k)) return false;
  // A headline without its auxiliary: "Georgian ministries targeted" (the participle ends the line).
  if (has(PASSIVE, t, k)) return words > 0 && (k + 1 >= t.n || opens(t, k + 1));
  if (!has(AUXILIARIES, t, k)) return false;
  // "has encrypted the servers" is active: a passive needs a form of "be".
  let be = false;
  for (; k < t.n && has(AUXILIARIES, t, k) && !opens(t, k); k++) be ||= has(BE, t, k);
  if (k >= t.n || opens(t, k)) return false;
  if (has(PASSIVE, t, k)) return be;
  for (let j = k; j < k + 3 && j < t.n && !opens(t, j); j++) {
    if (has(AMONG_WORDS, t, j)) return j > k;
    if (!has(AMONG, t, j)) return false;
  }
  return false;
}

/**
 * A country reporting harm to its own: "Canada later disclosed that local carriers had been probed", "The Czech
 * Republic reported similar attacks". Accusing others is not this: the object must be its own or an attack noun.
 */
function reportsOwnHarm(t: Tokens, last: number): boolean {
  let k = last + 1;
  for (let hops = 0; hops < 4 && k < t.n && !opens(t, k) && !has(DISCLOSING, t, k); hops++, k++) {
    if (!has(REPORT_FILLERS, t, k) && lower(t, k)) return false;
  }
  if (!has(DISCLOSING, t, k) || opens(t, k)) return false;
  k++;
  if (t.hash[k] === THAT) k++;
  for (let j = k; j < k + 3 && j < t.n && !opens(t, j); j++) {
    if (has(ATTACK_NOUNS, t, j) && (j + 1 >= t.n || opens(t, j + 1))) return true;
    if (has(HOME, t, j)) return subjectOfPassive(t, j);
    if (!has(REPORT_FILLERS, t, j)) return false;
  }
  return false;
}

/** True when the phrase around a country term names it (or its people, bodies, networks) as a victim. */
export const victim = (t: Tokens, first: number, last: number): boolean =>
  objectOfAttack(t, first, last) || subjectOfPassive(t, last) || reportsOwnHarm(t, last);

/** A country mention in token order, as the pronoun rule sees it. */
export interface Mention {
  country: number;
  first: number;
  last: number;
  sponsor: boolean;
  /** The state denies a role (attribution.ts `denies`). */
  denied: boolean;
}

/**
 * "New Zealand's GCSB linked the cyberattacks on its parliament to ...": a possessive pronoun governed by an attack
 * word makes the sentence's country before it a target ("its": the nearest one; "their": each one). Mentions are in
 * token order; each looks at most 30 tokens ahead, so the pass stays linear.
 */
export function pronounTargets(t: Tokens, mentions: readonly Mention[]): number[] {
  const found: number[] = [];
  for (let i = 0; i < mentions.length; i++) {
    const m = mentions[i] as Mention;
    if (m.sponsor) continue;
    let next = i + 1;
    let passedOther = false;
    for (let k = m.last + 1; k < t.n && k <= m.last + 30 && !opens(t, k); k++) {
      while (next < mentions.length && (mentions[next] as Mention).last < k) {
        const o = mentions[next] as Mention;
        if (!o.sponsor && o.country !== m.country) passedOther = true;
        next++;
      }
      const h = t.hash[k];
      if ((h !== ITS && h !== THEIR) || (h === ITS && passedOther) || !pronounOfAttack(t, k)) continue;
      found.push(i);
      break;
    }
  }
  return found;
}

/** "breached its", "attacks on their", "spied on its". */
export const pronounOfAttack = (t: Tokens, k: number): boolean =>
  has(ATTACK_VERBS, t, k - 1) ||
  (has(NOUN_LINKS, t, k - 1) && (has(ATTACK_VERBS, t, k - 2) || has(ATTACK_NOUNS, t, k - 2))) ||
  (t.hash[k - 1] === AGAINST && has(AIMED, t, k - 2));
