// One walk over a text's tokens finds where a name or term may start, so each scanner visits only those tokens.

import { CAP, NUM, SENT, type Tokens } from "./tokenizer.js";

/** Scanner bits: a token may start an actor/country name, a malware name, a cyber term, a sector phrase. */
export const NAME = 1;
export const MALWARE = 2;
export const CYBER = 4;
export const SECTOR = 8;
// A name trie's bit for a token in lowercase (only names that may start lowercase); shifted down when found.
const LOWER_SHIFT = 4;

const TABLE_BITS = 16;
const MASK = (1 << TABLE_BITS) - 1;

/** The candidate tokens of one text, in order: index, scanner bits, and sentence number (for the sector scan). */
export class Candidates {
  n = 0;
  at = new Int32Array(256);
  kinds = new Uint8Array(256);
  sentence = new Int32Array(256);

  grow(): void {
    const size = this.at.length * 2;
    const at = new Int32Array(size);
    const kinds = new Uint8Array(size);
    const sentence = new Int32Array(size);
    at.set(this.at);
    kinds.set(this.kinds);
    sentence.set(this.sentence);
    this.at = at;
    this.kinds = kinds;
    this.sentence = sentence;
  }
}

/**
 * Every scanner's first-token hashes folded into one byte table by their low bits. A token whose byte has no
 * bit for a scanner cannot start one of its entries; a set bit may be a collision, which the scanner's own
 * lookup rejects, so each scanner sees a superset of the tokens it would have found walking every token.
 */
export class FirstTokens {
  private readonly table = new Uint8Array(1 << TABLE_BITS);

  /** Marks `hash` for `kind` (NAME or MALWARE also in lowercase when `lower`; other kinds ignore case). */
  mark(hash: number, kind: number, lower = true): void {
    const slot = hash & MASK;
    const bits = kind === NAME || kind === MALWARE ? kind | (lower ? kind << LOWER_SHIFT : 0) : kind;
    this.table[slot] = (this.table[slot] as number) | bits;
  }

  /** The candidates of `t` into `out`. */
  walk(t: Tokens, out: Candidates): Candidates {
    const { n, hash, flags } = t;
    const table = this.table;
    const lowercaseKinds = CYBER | SECTOR | ((NAME | MALWARE) << LOWER_SHIFT);
    let count = 0;
    let sentence = 0;
    let { at, kinds, sentence: sentences } = out;
    for (let i = 0; i < n; i++) {
      const f = flags[i] as number;
      if ((f & SENT) !== 0) sentence++;
      let bits = table[(hash[i] as number) & MASK] as number;
      if (bits === 0) continue;
      // A capitalised or numeric token may start any name; a lowercase one only those marked lowercase.
      if ((f & (CAP | NUM)) === 0) {
        bits &= lowercaseKinds;
        bits = (bits & (CYBER | SECTOR)) | (bits >>> LOWER_SHIFT);
        if (bits === 0) continue;
      } else bits &= NAME | MALWARE | CYBER | SECTOR;
      if (count === at.length) {
        out.grow();
        ({ at, kinds, sentence: sentences } = out);
      }
      at[count] = i;
      kinds[count] = bits;
      sentences[count] = sentence;
      count++;
    }
    out.n = count;
    return out;
  }
}
