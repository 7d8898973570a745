// What the summariser is asked to name (Focus), and what it scores with: the stop-word bitset over token
// hashes, the layout of its term table, the entity weights, the sentence-end test.

import type { ActorTag, Article, CountryTag } from "../core/article.js";
import { FUNCTION_WORDS } from "./cues.js";
import { hashKey } from "./token-keys.js";
import type { Tokens } from "./tokenizer.js";

/** What the summary should name: the analysis's tags with their evidence, and all accepted evidence offsets. */
export interface Focus {
  actors: readonly ActorTag[];
  countries: readonly CountryTag[];
  /** Body offsets of accepted tag evidence, ascending (a small bonus for sentences naming tagged entities). */
  offsets: ArrayLike<number>;
}

export type Summarise = (article: Article, t: Tokens, focus: Focus) => string;

// Stop words as a bitset over token hashes: one AND per token. A content word whose hash happens to share a
// bit (about 1 in 260) is dropped from the centroid, which changes nothing measurable; 8 KB stay in cache.
export const STOP_BITS = 1 << 16;
export const STOP = new Uint32Array(STOP_BITS >>> 5);
for (const h of [
  ...FUNCTION_WORDS,
  ...`be been being not no can could would should may might will has have had which who whom what where than then
  there into over under about more most other such only own same so too very just any each few out up down off
  were are was did does do new one two year years`
    .split(/\s+/)
    .filter(Boolean)
    .map(hashKey),
]) {
  const slot = (h & (STOP_BITS - 1)) >>> 5;
  STOP[slot] = (STOP[slot] as number) | (1 << (h & 31));
}

/** Terms counted in a direct-mapped table: a rare collision merges two words' counts; no probing, no clearing. */
export const TERM_BITS = 13;
/** Offsets in a term's record (its slot times four; the record's first number is the serial that saw it last). */
export const STAMP = 1;
export const COUNT = 2;
/** Naming one more actor, blamed country or target outweighs any difference in centrality or position. */
export const WEIGHT = { actor: 3, sponsor: 2, target: 1 } as const;
export const MAX_ENTITIES = 30;

export const closes = (c: number): boolean =>
  c === 46 || c === 33 || c === 63 || c === 34 || c === 0x201d || c === 0x2019 || c === 41;

/** `from` copied into `to`, the larger array that replaces it. */
export function copy(from: Int32Array, to: Int32Array): Int32Array {
  to.set(from.subarray(0, Math.min(from.length, to.length)));
  return to;
}
