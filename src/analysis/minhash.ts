// MinHash signatures: one-permutation hashing with densification, the Jaccard estimate, sketch keys, bytes.

/** A MinHash signature: the minimum of each seeded hash over a text's shingles. */
export type Signature = Uint32Array;

export const SIGNATURE_SIZE = 128;

export const EMPTY = 0xffffffff;

/** The murmur3 finaliser: spreads the bits of a 32-bit value. */
export function mix(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
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

export function densify(sig: Signature): void {
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
