// Near-duplicate text: word shingles, a MinHash signature with its Jaccard estimate, and its sketch keys.

import { normaliseText } from "../core/text.js";

/** A MinHash signature: the minimum of each seeded hash over a text's shingles. */
export type Signature = Uint32Array;

export const SHINGLE_WORDS = 3;
export const SIGNATURE_SIZE = 128;

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

const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * The words of `text` as `words` finds them, each as its fnv1a hash with its length in UTF-16 units, in one scan
 * of the character codes: no word strings are made (the hot path of every article's signatures).
 */
export function wordHashes(text: string): { hashes: number[]; lengths: number[] } {
  const t = normaliseText(text).normalize("NFKC").toLowerCase();
  const hashes: number[] = [];
  const lengths: number[] = [];
  let h = 0x811c9dc5;
  let len = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    let units = 1;
    let word: boolean;
    if (c < 128) word = (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < t.length) {
      units = 2;
      word = WORD_CHAR.test(t.slice(i, i + 2));
    } else word = WORD_CHAR.test(t[i] as string);
    if (!word) {
      if (len > 0) {
        hashes.push(h >>> 0);
        lengths.push(len);
        h = 0x811c9dc5;
        len = 0;
      }
      continue;
    }
    for (let u = 0; u < units; u++) {
      h ^= t.charCodeAt(i + u);
      h = Math.imul(h, 0x01000193);
    }
    len += units;
    i += units - 1;
  }
  if (len > 0) {
    hashes.push(h >>> 0);
    lengths.push(len);
  }
  return { hashes, lengths };
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
  return new Set(shingleHashes(wordHashes(text).hashes, k));
}

/** The hash of each k-word shingle, in text order, repeats included (MinHash does not mind them). */
function shingleHashes(hashes: readonly number[], k = SHINGLE_WORDS): number[] {
  const out: number[] = [];
  if (hashes.length === 0) return out;
  const span = Math.min(k, hashes.length);
  for (let i = 0; i + span <= hashes.length; i++) {
    let h = 0x9e3779b9;
    for (let j = 0; j < span; j++) h = Math.imul(h ^ (hashes[i + j] as number), 0x01000193);
    out.push(mix(h));
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

/**
 * The MinHash signature of a shingle set by one-permutation hashing: each element goes to one of SIGNATURE_SIZE
 * bins (its top bits) and each bin keeps the least re-mixed value, so a text costs one hash per shingle instead
 * of SIGNATURE_SIZE. Bins left empty by a short text borrow the value of a bin found by a fixed probe sequence
 * (optimal densification, Shrivastava 2017): two texts then agree on a bin with probability their Jaccard.
 */
export function minhash(set: Iterable<number>): Signature {
  const sig = new Uint32Array(SIGNATURE_SIZE).fill(EMPTY);
  const shift = 32 - Math.log2(SIGNATURE_SIZE);
  let empty = true;
  for (const x of set) {
    empty = false;
    const bin = x >>> shift;
    const v = mix(x ^ 0x5bd1e995);
    if (v < (sig[bin] as number)) sig[bin] = v;
  }
  if (empty) return sig;
  const filled = sig.slice();
  for (let i = 0; i < SIGNATURE_SIZE; i++) {
    if (filled[i] !== EMPTY) continue;
    for (let attempt = 1; ; attempt++) {
      const j = mix(Math.imul(i + 1, 0x9e3779b1) ^ attempt) >>> shift;
      if (filled[j] !== EMPTY) {
        sig[i] = filled[j] as number;
        break;
      }
    }
  }
  return sig;
}

/** The signature of a text's shingles. */
export const signature = (text: string): Signature => minhash(shingles(text));

/** Both signatures of a text from one scan of its words: its shingles' and its content words' (topic). */
export function textSignatures(text: string): { signature: Signature; topic: Signature } {
  const { hashes, lengths } = wordHashes(text);
  return { signature: minhash(shingleHashes(hashes)), topic: minhash(topicHashes(hashes, lengths)) };
}

// Function words and reporting verbs: they say nothing about which event a text is about.
const STOP = new Set(
  `the a an of to and or but in on at by for with from as into over under about after before than then that this
  these those it its is was were are be been being has have had do does did not no will would could may can said
  says say told according also other more most some such which who whom whose what when where while their they them
  he she his her we our you your i there here all any each both one two new last first week year day days`.split(
    /\s+/,
  ),
);

const STOP_HASHES = new Set([...STOP].map(fnv1a));

/** The content words (longer than 2 letters, not function words) of a text's word hashes, repeats included. */
function topicHashes(hashes: readonly number[], lengths: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < hashes.length; i++) {
    const h = hashes[i] as number;
    if ((lengths[i] as number) > 2 && !STOP_HASHES.has(h)) out.push(mix(h));
  }
  return out;
}

/** The signature of a text's distinct content words: its topic. */
export function topicSignature(text: string): Signature {
  const { hashes, lengths } = wordHashes(text);
  return minhash(topicHashes(hashes, lengths));
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

/** How many sketch keys a text is indexed by. */
export const SKETCH_KEYS = 10;

/**
 * The text's sketch keys: the SKETCH_KEYS least distinct values of its signature, which are (nearly) the least
 * re-mixed hashes of all its shingles, a bottom-k sketch. Two texts sharing a share J of their shingles share
 * about J × SKETCH_KEYS of them: a copy with other boilerplate (J ≥ 0.6) shares 3 or more with probability
 * 0.99, unrelated news (J < 0.01) almost never. A store indexes the keys and compares a new text only with the
 * stories that share several. Ten keys a text, where LSH bands would take thirty-two. An empty text has none.
 */
export function sketchKeys(sig: Signature, k = SKETCH_KEYS): number[] {
  const sorted = Uint32Array.from(sig).sort();
  const keys: number[] = [];
  for (let i = 0; i < sorted.length && keys.length < k; i++) {
    const x = sorted[i] as number;
    if (x !== EMPTY && x !== keys[keys.length - 1]) keys.push(x);
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
