// Hand-written scanner: one pass over char codes producing token offsets, hashes and case flags.

// Letters and digits form separate tokens ("APT40" -> "apt" "40") so spacing variants share a key.

import { CLASS_LETTER, charClass, fold, isUpper, maybeFormat } from "./chars.js";

export const CAP = 1; // first letter uppercase
export const NUM = 4; // digits only
export const POSS = 8; // followed by 's or ’s (skipped)
export const GLUED = 16; // no gap at all from the previous token (letter-digit boundary)
export const SENT = 32; // first token of a sentence or block
export const JOIN = 64; // gap from the previous token may sit inside one name: "", " ", "-", ".", "'", "_"
export const BREAK = 128; // a line break lies between this token and the previous one

export interface Tokens {
  text: string;
  /**
   * The text's UTF-16 code units (the first `text.length` of them): scanners read this typed array at one speed,
   * whatever the string's internal layout (flat, sliced or concatenated, one or two bytes per character), and
   * faster than `charCodeAt` on any of them.
   */
  codes: Uint16Array;
  n: number;
  start: Int32Array;
  /** End of the token's key (before a possessive 's). */
  end: Int32Array;
  hash: Int32Array;
  flags: Uint8Array;
  /** The text may hold a format character (one of \p{Cf}, or a surrogate pair); false proves it holds none. */
  format: boolean;
}

export function createTokens(capacity = 1024): Tokens {
  return {
    text: "",
    codes: new Uint16Array(capacity * 8),
    n: 0,
    start: new Int32Array(capacity),
    end: new Int32Array(capacity),
    hash: new Int32Array(capacity),
    flags: new Uint8Array(capacity),
    format: false,
  };
}

function grow(t: Tokens): void {
  const size = t.start.length * 2;
  const start = new Int32Array(size);
  const end = new Int32Array(size);
  const hash = new Int32Array(size);
  const flags = new Uint8Array(size);
  start.set(t.start);
  end.set(t.end);
  hash.set(t.hash);
  flags.set(t.flags);
  t.start = start;
  t.end = end;
  t.hash = hash;
  t.flags = flags;
}

const isJoinGap = (c: number): boolean =>
  c < 128 ? JOIN_GAPS[c] === 1 : c === 0x2019 || c === 0x2010 || c === 0x2011;

// ASCII classes: 1 lowercase letter, 2 uppercase letter, 3 digit, 4 sentence stop, 5 line break, 0 other.
const ASCII = new Uint8Array(128);
for (let c = 97; c <= 122; c++) ASCII[c] = 1;
for (let c = 65; c <= 90; c++) ASCII[c] = 2;
for (let c = 48; c <= 57; c++) ASCII[c] = 3;
for (const c of [46, 33, 63]) ASCII[c] = 4;
for (const c of [10, 13]) ASCII[c] = 5;

/** The ASCII gaps that may sit inside one name: space, "-", ".", "_", "'". */
const JOIN_GAPS = new Uint8Array(128);
for (const c of [32, 45, 46, 95, 39]) JOIN_GAPS[c] = 1;

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** Copies `text` into `out.codes` (grown as needed): a UTF-16 write copies every code unit, lone surrogates too. */
function codeUnits(text: string, out: Tokens): Uint16Array {
  let codes = out.codes;
  if (text.length >= codes.length) {
    codes = new Uint16Array(text.length * 2 + 1);
    out.codes = codes;
  }
  Buffer.from(codes.buffer, codes.byteOffset, text.length * 2).write(text, 0, "utf16le");
  // A zero past the end: reading the code after the last token finds no stop, comma or space.
  codes[text.length] = 0;
  return codes;
}

/**
 * Tokenise `text` into `out` (reused between calls to avoid allocation). ASCII runs take a fast path, and each
 * character is read once where it can be: a token's first character, the one that ends it, the gap before it.
 */
export function tokenize(text: string, out: Tokens = createTokens()): Tokens {
  out.text = text;
  const len = text.length;
  const codes = codeUnits(text, out);
  let { start: starts, end: ends, hash: hashes, flags: flagsOut } = out;
  let n = 0;
  let i = 0;
  let gapStart = 0;
  let gapChar = 0; // the last character of the gap before a token (when the gap is one character)
  let sawStop = true; // the text start counts as a sentence start
  let sawBreak = false;
  let format = false;
  while (i < len) {
    const c = codes[i] as number;
    let letter: boolean;
    if (c < 128) {
      const a = ASCII[c] as number;
      if (a === 0 || a >= 4) {
        if (a === 4) sawStop = true;
        else if (a === 5) sawBreak = true;
        gapChar = c;
        i++;
        continue;
      }
      letter = a !== 3;
    } else {
      if (charClass(c) !== CLASS_LETTER) {
        // Every character that is not part of a token passes here, so this sees every format character.
        if (maybeFormat(c)) format = true;
        gapChar = c;
        i++;
        continue;
      }
      letter = true;
    }
    if (n === starts.length) {
      grow(out);
      ({ start: starts, end: ends, hash: hashes, flags: flagsOut } = out);
    }
    const start = i;
    let flags = 0;
    let h: number;
    let d = -1; // the character that ends the token, -1 at the end of the text
    i++;
    if (letter) {
      if (c < 128) {
        h = Math.imul(FNV_OFFSET ^ (c | 32), FNV_PRIME);
        if (c <= 90) flags = CAP;
      } else {
        h = Math.imul(FNV_OFFSET ^ fold(c), FNV_PRIME);
        if (isUpper(c)) flags = CAP;
      }
      // Hot loop: ASCII letters fold with |32; anything else leaves the fast path.
      for (; i < len; i++) {
        const e = codes[i] as number;
        const lower = e | 32;
        if (lower >= 97 && lower <= 122) h = Math.imul(h ^ lower, FNV_PRIME);
        else if (e < 128 || charClass(e) !== CLASS_LETTER) {
          d = e;
          break;
        } else h = Math.imul(h ^ fold(e), FNV_PRIME);
      }
    } else {
      h = Math.imul(FNV_OFFSET ^ c, FNV_PRIME);
      for (; i < len; i++) {
        const e = codes[i] as number;
        if (e < 48 || e > 57) {
          d = e;
          break;
        }
        h = Math.imul(h ^ e, FNV_PRIME);
      }
      flags = NUM;
    }
    const gap = start - gapStart;
    if (n > 0) {
      if (gap === 0) flags |= GLUED | JOIN;
      else if (gap === 1 && isJoinGap(gapChar)) flags |= JOIN;
    }
    if (sawStop && (n === 0 || gap > 1 || sawBreak)) flags |= SENT;
    if (sawBreak) flags |= BREAK | SENT;
    starts[n] = start;
    ends[n] = i;
    // Possessive: "China's" keys as "china"; the 's is skipped, not a token.
    if (
      letter &&
      (d === 39 || d === 0x2019) &&
      i + 1 < len &&
      ((codes[i + 1] as number) | 32) === 115 &&
      (i + 2 >= len || charClass(codes[i + 2] as number) !== CLASS_LETTER)
    ) {
      flags |= POSS;
      i += 2;
      d = -1;
    }
    hashes[n] = h & 0x3fffffff;
    flagsOut[n] = flags;
    n++;
    gapStart = i;
    sawStop = false;
    sawBreak = false;
    // The common gap, one space, is known already: step over it.
    if (d === 32) {
      gapChar = 32;
      i++;
    }
  }
  out.n = n;
  out.format = format;
  return out;
}
