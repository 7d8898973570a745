// Reading a tokenised text back: token keys, folded comparisons, key hashes and phrase keys.

import { CLASS_LETTER, charClass, fold, isUpper } from "./chars.js";
import { createTokens, NUM, type Tokens, tokenize } from "./tokenizer.js";

/** The code unit at `i` of the tokenised text (0 at its end, undefined before its start). */
export const codeAt = (t: Tokens, i: number): number | undefined => t.codes[i];

/** True when the gap between tokens `a` and `b` (a < b) holds a comma. */
export function commaBetween(t: Tokens, a: number, b: number): boolean {
  const codes = t.codes;
  const to = t.start[b] as number;
  for (let i = t.end[a] as number; i < to; i++) if (codes[i] === 44) return true;
  return false;
}

/** True when every letter of token `k` is a capital ("GCHQ", "SEA"); computed on demand, off the hot loop. */
export function upperToken(t: Tokens, k: number): boolean {
  const e = t.end[k] as number;
  let letters = 0;
  for (let i = t.start[k] as number; i < e; i++) {
    const c = t.text.charCodeAt(i);
    if (c >= 97 && c <= 122) return false;
    if (c >= 128 && !isUpper(c) && charClass(c) === CLASS_LETTER) return false;
    letters++;
  }
  return letters > 0 && ((t.flags[k] as number) & NUM) === 0;
}

/** The folded key of token `k` ("Türkiye" -> "turkiye"). */
function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
}

export function tokenKey(t: Tokens, k: number): string {
  const s = t.start[k] as number;
  const e = t.end[k] as number;
  const raw = t.text.slice(s, e);
  if (isAscii(raw)) return raw.toLowerCase();
  let key = "";
  for (let i = s; i < e; i++) key += String.fromCharCode(fold(t.text.charCodeAt(i)));
  return key;
}

/** True when token `k` spells `key` after folding; no allocation. */
export function tokenEquals(t: Tokens, k: number, key: string): boolean {
  const s = t.start[k] as number;
  const e = t.end[k] as number;
  if (e - s !== key.length) return false;
  const text = t.codes;
  for (let i = 0; i < key.length; i++) {
    let c = text[s + i] as number;
    if (c >= 65 && c <= 90) c += 32;
    else if (c >= 128) c = fold(c);
    if (c !== key.charCodeAt(i)) return false;
  }
  return true;
}

/** `tokenEquals` against a key stored as `length` char codes from `from` in `codes`. */
export function tokenEqualsCodes(
  t: Tokens,
  k: number,
  codes: Uint16Array,
  from: number,
  length: number,
): boolean {
  const s = t.start[k] as number;
  if ((t.end[k] as number) - s !== length) return false;
  const text = t.codes;
  for (let i = 0; i < length; i++) {
    let c = text[s + i] as number;
    if (c >= 65 && c <= 90) c += 32;
    else if (c >= 128) c = fold(c);
    if (c !== codes[from + i]) return false;
  }
  return true;
}

/** Hash of a key string, equal to the scanner's hash of a token with that key. */
export function hashKey(key: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h & 0x3fffffff;
}

/** Token keys of a phrase: "APT-40" -> ["apt", "40"], "People's Republic" -> ["people", "republic"]. */
const phraseScratch = createTokens(64);

export function phraseKeys(phrase: string): string[] {
  const t = tokenize(phrase, phraseScratch);
  const keys: string[] = [];
  for (let k = 0; k < t.n; k++) keys.push(tokenKey(t, k));
  return keys;
}

/** One string key for lookups that ignore case, spacing and hyphens: "APT 40" -> "apt 40". */
export const normalKey = (phrase: string): string => phraseKeys(phrase).join(" ");
