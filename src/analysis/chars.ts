// Character classes and case folding by char code, so the scanner never runs a regex per character.

const LETTER = 1;
const DIGIT = 2;
const OTHER = 3;

// Lazily filled class cache for the whole BMP: 0 = not yet classified.
const classCache = new Uint8Array(65536);
// Folded (lowercase, diacritic-free) char code for the BMP: 0 = not yet computed.
const foldCache = new Uint16Array(65536);
const LETTER_RE = /\p{L}/u;

function classify(c: number): number {
  if (c < 128) {
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) return LETTER;
    if (c >= 48 && c <= 57) return DIGIT;
    return OTHER;
  }
  if (c >= 0xd800 && c <= 0xdfff) return OTHER;
  return LETTER_RE.test(String.fromCharCode(c)) ? LETTER : OTHER;
}

export function charClass(c: number): number {
  let k = classCache[c] as number;
  if (k === 0) {
    k = classify(c);
    classCache[c] = k;
  }
  return k;
}

// 1 = a format character (\p{Cf}) or a surrogate (half of a pair that may be one), 2 = neither, 0 = not yet known.
const formatCache = new Uint8Array(65536);
const FORMAT_RE = /\p{Cf}/u;

/** True for a BMP format character or any surrogate: a cheap superset of the characters `hasFormat` finds. */
export function maybeFormat(c: number): boolean {
  let k = formatCache[c] as number;
  if (k === 0) {
    k = (c >= 0xd800 && c <= 0xdfff) || FORMAT_RE.test(String.fromCharCode(c)) ? 1 : 2;
    formatCache[c] = k;
  }
  return k === 1;
}

export const isLetter = (c: number): boolean => charClass(c) === LETTER;
export const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** Lowercase and strip diacritics ("Ü" -> "u") so "Türkiye" and "Turkiye" share a key. */
export function fold(c: number): number {
  if (c < 128) return c >= 65 && c <= 90 ? c + 32 : c;
  let f = foldCache[c] as number;
  if (f === 0) {
    const base = String.fromCharCode(c).normalize("NFD").toLowerCase();
    f = base.charCodeAt(0);
    foldCache[c] = f;
  }
  return f;
}

/** True for an uppercase letter (ASCII fast path; other scripts via toUpperCase round trip). */
export function isUpper(c: number): boolean {
  if (c < 128) return c >= 65 && c <= 90;
  const s = String.fromCharCode(c);
  return s !== s.toLowerCase() && s === s.toUpperCase();
}

export const CLASS_LETTER = LETTER;
export const CLASS_DIGIT = DIGIT;
