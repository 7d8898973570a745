// Token-level checks shared by the actor and country taggers: case rules and neighbouring proper nouns.

import { FILLERS, FUNCTION_WORDS, has } from "./cues.js";
import { codeAt, upperToken } from "./token-keys.js";
import { BREAK, CAP, GLUED, NUM, POSS, SENT, type Tokens } from "./tokenizer.js";

/** The matched text, from the first token's start to the last token's key end. */
export const surface = (t: Tokens, first: number, last: number): string =>
  t.text.slice(t.start[first] as number, t.end[last] as number);

export function caseOk(t: Tokens, first: number, last: number, rule: string, exact?: string): boolean {
  if (rule === "any") return true;
  if (rule === "exact") return surface(t, first, last) === exact;
  for (let k = first; k <= last; k++) {
    const f = t.flags[k] as number;
    if (f & NUM) continue;
    // "Av3ngers": letters glued after a digit continue the word, whose capital came before.
    if ((f & GLUED) !== 0 && k > first && ((t.flags[k - 1] as number) & NUM) !== 0) continue;
    if (rule === "upper" ? !upperToken(t, k) : !(f & CAP) && !has(FILLERS, t, k)) return false;
  }
  return true;
}

/** A capitalised word that is not a function word (and, unless allowed, does not start a sentence). */
function properWord(t: Tokens, k: number, sentenceStartOk = false): boolean {
  const f = t.flags[k] as number;
  return (f & CAP) !== 0 && (sentenceStartOk || (f & SENT) === 0) && !has(FUNCTION_WORDS, t, k);
}

/** The word after the match, when a plain space separates them and it is capitalised. */
export function properAfter(t: Tokens, last: number): boolean {
  const k = last + 1;
  if (k >= t.n || ((t.flags[last] as number) & POSS) !== 0) return false;
  if (((t.flags[k] as number) & BREAK) !== 0) return false;
  if ((t.start[k] as number) - (t.end[last] as number) !== 1 || codeAt(t, t.end[last] as number) !== 32) {
    return false;
  }
  return properWord(t, k);
}

/**
 * The word before the match, when a plain space separates them and it is capitalised. With `firstNames`,
 * a capitalised sentence opener counts too ("Sarah Wellington has ..."): for names that are also people's.
 */
export function properBefore(t: Tokens, first: number, firstNames = false): boolean {
  const k = first - 1;
  if (k < 0 || ((t.flags[first] as number) & (SENT | BREAK)) !== 0) return false;
  if (((t.flags[k] as number) & POSS) !== 0) return false;
  if (
    (t.start[first] as number) - (t.end[k] as number) !== 1 ||
    codeAt(t, (t.start[first] as number) - 1) !== 32
  ) {
    return false;
  }
  return properWord(t, k, firstNames);
}

/** True when a word from `set` lies within `radius` tokens, without crossing a paragraph break. */
export function nearby(t: Tokens, first: number, last: number, radius: number, set: Set<number>): boolean {
  for (let k = first - 1; k >= 0 && k >= first - radius; k--) {
    if (((t.flags[k + 1] as number) & BREAK) !== 0) break;
    if (set.has(t.hash[k] as number)) return true;
  }
  for (let k = last + 1; k < t.n && k <= last + radius; k++) {
    if (((t.flags[k] as number) & BREAK) !== 0) break;
    if (set.has(t.hash[k] as number)) return true;
  }
  return false;
}

/**
 * True when the line holding the match is in title case ("Big Panda Born At City Zoo"): there a capital
 * is no evidence that a phrase of ordinary words is a name.
 */
export function titleCased(t: Tokens, first: number, last: number): boolean {
  let words = 0;
  let capitals = 0;
  const count = (k: number) => {
    const f = t.flags[k] as number;
    if ((f & NUM) !== 0 || (t.end[k] as number) - (t.start[k] as number) < 4) return;
    words++;
    if ((f & CAP) !== 0) capitals++;
  };
  for (let k = first - 1; k >= 0 && k >= first - 20; k--) {
    if (((t.flags[k + 1] as number) & BREAK) !== 0) break;
    count(k);
  }
  for (let k = last + 1; k < t.n && k <= last + 20; k++) {
    if (((t.flags[k] as number) & BREAK) !== 0) break;
    count(k);
  }
  return words >= 2 && capitals >= words * 0.75;
}
