// Near-duplicate text: word shingles, a MinHash signature with its Jaccard estimate, and LSH band keys.

import { normaliseText } from "../core/text.js";

/** A MinHash signature: the minimum of each seeded hash over a text's shingles. */
export type Signature = Uint32Array;

export const SHINGLE_WORDS = 3;
export const SIGNATURE_SIZE = 128;
export const BANDS = 32;
export const ROWS = SIGNATURE_SIZE / BANDS;

const EMPTY = 0xffffffff;
const NOT_WORD = /[^\p{L}\p{N}]+/gu;

/** Lower-case words of `text`: format characters removed, punctuation stripped, numbers kept. */
export function words(text: string): string[] {
  return normaliseText(text)
    .normalize("NFKC")
    .toLowerCase()
    .replace(NOT_WORD, " ")
    .split(" ")
    .filter(Boolean);
}

/** 32-bit FNV-1a of a string (UTF-16 units): stable across runs, platforms and Node versions. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The murmur3 finaliser: spreads the bits of a 32-bit value. */
function mix(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes of the distinct k-word shingles of `text` (one shingle of all words when there are fewer than k). */
export function shingles(text: string, k = SHINGLE_WORDS): Set<number> {
  const hashes = words(text).map(fnv1a);
  const out = new Set<number>();
  if (hashes.length === 0) return out;
  const span = Math.min(k, hashes.length);
  for (let i = 0; i + span <= hashes.length; i++) {
    let h = 0x9e3779b9;
    for (let j = 0; j < span; j++) h = mix(Math.imul(h ^ (hashes[i + j] as number), 0x01000193));
    out.add(h);
  }
  return out;
}

/** Exact Jaccard similarity of two shingle sets (0 when both are empty). */
export function jaccard(a: Set<number>, b: Set<number>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return shared / (a.size + b.size - shared);
}

const SEEDS: Uint32Array = (() => {
  const seeds = new Uint32Array(SIGNATURE_SIZE);
  let s = 0x2545f491;
  for (let i = 0; i < SIGNATURE_SIZE; i++) {
    s = mix(s + 0x6d2b79f5);
    seeds[i] = s;
  }
  return seeds;
})();

/** The MinHash signature of a shingle set: SIGNATURE_SIZE seeded hashes, each keeping its minimum. */
export function minhash(set: Set<number>): Signature {
  const sig = new Uint32Array(SIGNATURE_SIZE).fill(EMPTY);
  for (const x of set) {
    for (let i = 0; i < SIGNATURE_SIZE; i++) {
      // Cheaper than a full mix per hash: x is already well mixed, one multiply and a shift spread the seed.
      let h = Math.imul(x ^ (SEEDS[i] as number), 0x9e3779b1);
      h = (h ^ (h >>> 15)) >>> 0;
      if (h < (sig[i] as number)) sig[i] = h;
    }
  }
  return sig;
}

/** The signature of a text's shingles. */
export const signature = (text: string): Signature => minhash(shingles(text));

// Function words and reporting verbs: they say nothing about which event a text is about.
const STOP = new Set(
  `the a an of to and or but in on at by for with from as into over under about after before than then that this
  these those it its is was were are be been being has have had do does did not no will would could may can said
  says say told according also other more most some such which who whom whose what when where while their they them
  he she his her we our you your i there here all any each both one two new last first week year day days`.split(
    /\s+/,
  ),
);

/** The signature of a text's distinct content words (longer than 2 letters, not function words): its topic. */
export function topicSignature(text: string): Signature {
  const set = new Set<number>();
  for (const w of words(text)) if (w.length > 2 && !STOP.has(w)) set.add(mix(fnv1a(w)));
  return minhash(set);
}

/** Estimated Jaccard similarity: the share of positions where two signatures agree (0 for empty texts). */
export function estimateJaccard(a: Signature, b: Signature): number {
  const n = Math.min(a.length, b.length);
  let same = 0;
  let empty = 0;
  for (let i = 0; i < n; i++) {
    if (a[i] === b[i]) {
      if (a[i] === EMPTY) empty++;
      else same++;
    }
  }
  return n - empty === 0 ? 0 : same / n;
}

/**
 * LSH band keys: one integer per band (band index × 2^32 + a hash of its ROWS values). Two texts share a key
 * with probability 1 - (1 - J^ROWS)^BANDS: about 99% at J = 0.6, 0.3% at J = 0.1. A store indexes the keys
 * and compares a new text only with the stories that share one. An empty text has no keys.
 */
export function bandKeys(sig: Signature): number[] {
  const keys: number[] = [];
  if (sig.every((x) => x === EMPTY)) return keys;
  for (let b = 0; b < BANDS; b++) {
    let h = 0x811c9dc5 ^ b;
    for (let r = 0; r < ROWS; r++) h = mix(Math.imul(h ^ (sig[b * ROWS + r] as number), 0x01000193));
    keys.push(b * 2 ** 32 + h);
  }
  return keys;
}

/** The signature as bytes (little-endian), for a BLOB column; `fromBytes` reads it back. */
export function toBytes(sig: Signature): Uint8Array {
  const out = new Uint8Array(sig.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < sig.length; i++) view.setUint32(i * 4, sig[i] as number, true);
  return out;
}

export function fromBytes(bytes: Uint8Array): Signature {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sig = new Uint32Array(Math.floor(bytes.byteLength / 4));
  for (let i = 0; i < sig.length; i++) sig[i] = view.getUint32(i * 4, true);
  return sig;
}
