// Decides how an alias may match in text, from its shape and an English word list (no hand-kept word lists).

import { readFileSync } from "node:fs";
import wordListPath from "word-list";
import { tokenKey, upperToken } from "./token-keys.js";
import { CAP, createTokens, NUM, tokenize } from "./tokenizer.js";
import type { CaseRule, ContextRule } from "./types.js";

export type WordSet = ReadonlySet<string>;

let cachedWords: WordSet | undefined;

/** The `word-list` package's English words, lowercased. */
export function englishWords(): WordSet {
  if (!cachedWords) cachedWords = new Set(readFileSync(wordListPath, "utf8").split("\n"));
  return cachedWords;
}

// Function words inside names ("The Dukes", "Guardians of Peace") are not evidence either way.
const FILLER = new Set(["the", "of", "and", "de", "la", "el", "al", "a", "an", "in", "on", "for"]);

export interface AliasClass {
  match: CaseRule;
  context: ContextRule;
  /** Every content word is an ordinary English word (per the word list). */
  ordinary: boolean;
  note?: string;
}

// Vendor schemes built to be distinctive: "Volt Typhoon", "Fancy Bear", "BRONZE MOHAWK" read as names when capitalised.
const DISTINCT_SCHEMES = new Set(["microsoft", "crowdstrike", "secureworks"]);

export function classifyAlias(alias: string, words: WordSet, scheme = "other"): AliasClass {
  const t = tokenize(alias, createTokens(16));
  if (t.n === 0) return { match: "off", context: "none", ordinary: false, note: "no letters or digits" };
  let digits = 0;
  let letters = 0;
  let allCaps = true;
  let dictionary = true;
  let content = 0;
  let longWord = false;
  for (let k = 0; k < t.n; k++) {
    const f = t.flags[k] as number;
    const key = tokenKey(t, k);
    if (f & NUM) {
      digits += key.length;
      continue;
    }
    letters += key.length;
    if (!upperToken(t, k)) allCaps = false;
    if (FILLER.has(key)) continue;
    content++;
    if (!words.has(key)) dictionary = false;
    else if (key.length >= 4) longWord = true;
  }
  const ordinary = dictionary && content > 0 && digits === 0;
  if (letters === 0) return { match: "off", context: "none", ordinary, note: "digits only" };
  if (letters + digits < 3) return { match: "off", context: "none", ordinary, note: "too short" };
  if (digits > 0) {
    // Codenames: "APT 40", "apt-40" and "APT40" are one key; one-digit ones ("FIN7") keep their capitals.
    // A real word with a small number ("Group 3", "Unit 42") also needs cyber context.
    const context: ContextRule = longWord && digits < 3 ? "cue" : "none";
    if (digits >= 2) return { match: context === "cue" ? "cap" : "any", context, ordinary };
    return { match: allCaps ? "upper" : "cap", context, ordinary };
  }
  const capsRule: CaseRule = allCaps && letters <= 4 ? "upper" : "cap";
  if (t.n === 1 && letters <= 4)
    return { match: capsRule, context: "adjacent", ordinary, note: "short word" };
  if (dictionary && t.n > 1 && DISTINCT_SCHEMES.has(scheme))
    return { match: "cap", context: "none", ordinary: true };
  if (content === 0 || dictionary) return { match: capsRule, context: "cue", ordinary: true };
  // One title-cased word that is not English may still be a person's or a place's name ("Lazarus"):
  // it needs cyber context too, though a capital at a sentence start does not count against it.
  if (t.n === 1 && /^\p{Lu}\p{Ll}+$/u.test(alias.trim()))
    return { match: "cap", context: "cue", ordinary, note: "name-like" };
  return { match: "cap", context: "none", ordinary };
}

/** True when the first letter of every content word is a capital in `alias` (used for display choice). */
export function looksTitleCased(alias: string): boolean {
  const t = tokenize(alias, createTokens(16));
  for (let k = 0; k < t.n; k++) {
    const f = t.flags[k] as number;
    if (!(f & NUM) && !(f & CAP) && !FILLER.has(tokenKey(t, k))) return false;
  }
  return true;
}
