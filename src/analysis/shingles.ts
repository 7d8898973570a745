// Near-duplicate text: word shingles, a MinHash signature with its Jaccard estimate, and its sketch keys.

import type { TextSignatures } from "../core/article.js";
import { hasFormat, stripFormat } from "../core/text.js";
import { createTokens, type Tokens, tokenize } from "./tokenizer.js";

/** A MinHash signature: the minimum of each seeded hash over a text's shingles. */
export type Signature = Uint32Array;

export const SHINGLE_WORDS = 3;
export const SIGNATURE_SIZE = 128;

const EMPTY = 0xffffffff;

/**
 * The word hashes of token lists read as one text (a title's tokens, then its body's), with each word's length:
 * the tokenizer's case-folded hashes, so the analyser's own tokens serve and no word strings are made.
 */
function hashStream(parts: readonly Tokens[]): { hashes: number[]; lengths: number[] } {
  const hashes: number[] = [];
  const lengths: number[] = [];
  for (const t of parts) {
    for (let i = 0; i < t.n; i++) {
      hashes.push(t.hash[i] as number);
      lengths.push((t.end[i] as number) - (t.start[i] as number));
    }
  }
  return { hashes, lengths };
}

/** The tokens of a text, format characters removed (as the analyser sees an article). */
const tokensOf = (text: string): Tokens =>
  tokenize(hasFormat(text) ? stripFormat(text) : text, createTokens(256));

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
  return new Set(shingleHashes(hashStream([tokensOf(text)]).hashes, k));
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
  let empty = true;
  for (const x of set) {
    empty = false;
    addTo(sig, x);
  }
  if (!empty) densify(sig);
  return sig;
}

const SHIFT = 32 - Math.log2(SIGNATURE_SIZE);

/** One element of a set into its signature's bin. */
function addTo(sig: Signature, x: number): void {
  const bin = x >>> SHIFT;
  const v = mix(x ^ 0x5bd1e995);
  if (v < (sig[bin] as number)) sig[bin] = v;
}

/** Fills the empty bins of a non-empty set's signature (see `minhash`). */
const filledScratch = new Uint32Array(SIGNATURE_SIZE);

function densify(sig: Signature): void {
  const shift = SHIFT;
  if (!sig.includes(EMPTY)) return;
  const filled = filledScratch;
  filled.set(sig);
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
}

/** The signature of a text's shingles. */
export const signature = (text: string): Signature =>
  minhash(shingleHashes(hashStream([tokensOf(text)]).hashes));

// Values are compared as int32 with the sign bit flipped (unsigned order becomes signed order), so the hot loop
// never leaves 32-bit integer arithmetic; a value flipped back is stored with the same bits in the Uint32Array.
const FLIP = 0x80000000 | 0;

/** `mix` as an int32 (same bits). */
function mixInt(x: number): number {
  let h = x;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

// A word's topic bin and value depend on its hash alone: a direct-mapped cache of them (key hash + 1, 0 = empty;
// bin NOT_TOPIC for a stop word) spares the two mixes for the words a text repeats.
const CACHE_BITS = 12;
const CACHE_MASK = (1 << CACHE_BITS) - 1;
const NOT_TOPIC = 255;
const cacheKey = new Int32Array(1 << CACHE_BITS);
const cacheBin = new Uint8Array(1 << CACHE_BITS);
const cacheValue = new Int32Array(1 << CACHE_BITS);

/**
 * Both signatures of a text read as the token lists `parts` (the analyser passes its title's and body's tokens),
 * and its sketch keys: what deciding its event needs, made where the analysis runs.
 */
export function tokenSignatures(parts: readonly Tokens[]): TextSignatures {
  let total = 0;
  for (const t of parts) total += t.n;
  // Fewer words than a shingle: one shingle of them all, the general path (rare, short texts).
  if (total < SHINGLE_WORDS) {
    const { hashes, lengths } = hashStream(parts);
    const sig = minhash(shingleHashes(hashes));
    return { signature: sig, topic: minhash(topicHashes(hashes, lengths)), keys: sketchKeys(sig) };
  }
  // One pass, no arrays: the same values as minhash(shingleHashes(...)) and minhash(topicHashes(...)).
  const sig = new Uint32Array(SIGNATURE_SIZE).fill(EMPTY);
  const topic = new Uint32Array(SIGNATURE_SIZE).fill(EMPTY);
  let topicEmpty = true;
  let seen = 0;
  let back2 = 0;
  let back1 = 0;
  for (let p = 0; p < parts.length; p++) {
    const t = parts[p] as Tokens;
    const { hash, start, end } = t;
    const n = t.n;
    for (let i = 0; i < n; i++) {
      const h = hash[i] as number;
      if ((end[i] as number) - (start[i] as number) > 2) {
        const slot = h & CACHE_MASK;
        let bin: number;
        let v: number;
        if (cacheKey[slot] === h + 1) {
          bin = cacheBin[slot] as number;
          v = cacheValue[slot] as number;
        } else {
          if (isStop(h)) {
            bin = NOT_TOPIC;
            v = 0;
          } else {
            const m = mixInt(h);
            bin = m >>> SHIFT;
            v = mixInt(m ^ 0x5bd1e995) ^ FLIP;
          }
          cacheKey[slot] = h + 1;
          cacheBin[slot] = bin;
          cacheValue[slot] = v;
        }
        if (bin !== NOT_TOPIC) {
          topicEmpty = false;
          if (v < ((topic[bin] as number) ^ FLIP)) topic[bin] = v ^ FLIP;
        }
      }
      if (++seen >= SHINGLE_WORDS) {
        const x = mixInt(
          Math.imul(Math.imul(Math.imul(0x9e3779b9 ^ back2, 0x01000193) ^ back1, 0x01000193) ^ h, 0x01000193),
        );
        const bin = x >>> SHIFT;
        const v = mixInt(x ^ 0x5bd1e995) ^ FLIP;
        if (v < ((sig[bin] as number) ^ FLIP)) sig[bin] = v ^ FLIP;
      }
      back2 = back1;
      back1 = h;
    }
  }
  densify(sig);
  if (!topicEmpty) densify(topic);
  return { signature: sig, topic, keys: sketchKeys(sig) };
}

/** `tokenSignatures` of a text: equal to the analyser's for "title\n\nbody". */
export const textSignatures = (text: string): TextSignatures => tokenSignatures([tokensOf(text)]);

// Function words and reporting verbs: they say nothing about which event a text is about.
const STOP = new Set(
  `the a an of to and or but in on at by for with from as into over under about after before than then that this
  these those it its is was were are be been being has have had do does did not no will would could may can said
  says say told according also other more most some such which who whom whose what when where while their they them
  he she his her we our you your i there here all any each both one two new last first week year day days`.split(
    /\s+/,
  ),
);

// One small scratch for all of them: a fresh 256-token buffer per word cost a one-shot command 10 ms at load.
const stopScratch = createTokens(4);
const STOP_HASHES = new Set([...STOP].map((w) => tokenize(w, stopScratch).hash[0] as number));
// A stop word's hash marks its bit here: most words are told apart by one bit before the set is asked.
const STOP_BITS = new Uint32Array(2048);
for (const h of STOP_HASHES)
  STOP_BITS[(h >>> 5) & 2047] = (STOP_BITS[(h >>> 5) & 2047] as number) | (1 << (h & 31));
const isStop = (h: number): boolean =>
  ((STOP_BITS[(h >>> 5) & 2047] as number) & (1 << (h & 31))) !== 0 && STOP_HASHES.has(h);

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
  const { hashes, lengths } = hashStream([tokensOf(text)]);
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

/**
 * Whether estimateJaccard(a, b) reaches `min`, stopping as soon as the positions left cannot make up for those
 * already apart: most pairs judged are far from a copy, and tell so in the first third of their signatures.
 */
export function jaccardReaches(a: Signature, b: Signature, min: number): boolean {
  const n = Math.min(a.length, b.length);
  // Empty positions count only when both texts are empty (estimateJaccard is 0 then, below any `min` > 0).
  const allowedApart = n - Math.ceil(min * n - 1e-9);
  let apart = 0;
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i] || a[i] === EMPTY) {
      apart++;
      if (apart > allowedApart) return false;
    }
  }
  return estimateJaccard(a, b) >= min;
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
const keyScratch = new Uint32Array(64);

export function sketchKeys(sig: Signature, k = SKETCH_KEYS): number[] {
  // Insertion into a short sorted list: the k least distinct values without sorting the whole signature.
  const sorted = k <= keyScratch.length ? keyScratch : new Uint32Array(k);
  let n = 0;
  for (let i = 0; i < sig.length; i++) {
    const x = sig[i] as number;
    if (x === EMPTY || (n === k && x >= (sorted[k - 1] as number))) continue;
    let at = n;
    while (at > 0 && (sorted[at - 1] as number) > x) at--;
    if (at > 0 && sorted[at - 1] === x) continue;
    if (n < k) n++;
    for (let j = n - 1; j > at; j--) sorted[j] = sorted[j - 1] as number;
    sorted[at] = x;
  }
  const keys: number[] = new Array(n);
  for (let i = 0; i < n; i++) keys[i] = sorted[i] as number;
  return keys;
}

/** The signature as bytes (little-endian), for a BLOB column; `fromBytes` reads it back. */
export function toBytes(sig: Signature): Uint8Array {
  // On a little-endian machine (all Node targets in practice) the array's own bytes are the format: a view.
  if (LITTLE_ENDIAN) return new Uint8Array(sig.buffer, sig.byteOffset, sig.byteLength);
  const out = new Uint8Array(sig.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < sig.length; i++) view.setUint32(i * 4, sig[i] as number, true);
  return out;
}

export function fromBytes(bytes: Uint8Array): Signature {
  const n = Math.floor(bytes.byteLength / 4);
  if (LITTLE_ENDIAN) {
    // A view where the bytes are aligned (a BLOB read from SQLite is a Buffer of its own), else a copy. Not
    // `bytes.slice`: on a Buffer it is a view too, and its `.buffer` may be a shared pool.
    if (bytes.byteOffset % 4 === 0) return new Uint32Array(bytes.buffer, bytes.byteOffset, n);
    return new Uint32Array(Uint8Array.prototype.slice.call(bytes, 0, n * 4).buffer);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sig = new Uint32Array(n);
  for (let i = 0; i < n; i++) sig[i] = view.getUint32(i * 4, true);
  return sig;
}

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
