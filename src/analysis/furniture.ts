// Page furniture ("Read more", "All rights reserved", cookie notices) found from a sentence's tokens, no regex.

import { FURNITURE_PHRASES } from "../core/boilerplate.js";
import { hashKey, phraseKeys } from "./token-keys.js";
import type { Tokens } from "./tokenizer.js";

/** Each phrase's token hashes, listed under its first word's hash. */
const BY_FIRST = new Map<number, number[][]>();
for (const phrase of FURNITURE_PHRASES) {
  const hashes = phraseKeys(phrase).map(hashKey);
  const first = hashes[0] as number;
  const list = BY_FIRST.get(first);
  if (list) list.push(hashes);
  else BY_FIRST.set(first, [hashes]);
}

/** True when tokens [first, last) of `t` hold one of the furniture phrases (the same list as isBoilerplate). */
export function hasFurniture(t: Tokens, first: number, last: number): boolean {
  for (let k = first; k < last; k++) {
    const list = BY_FIRST.get(t.hash[k] as number);
    if (!list) continue;
    for (const hashes of list) {
      if (k + hashes.length > last) continue;
      let i = 1;
      while (i < hashes.length && t.hash[k + i] === hashes[i]) i++;
      if (i === hashes.length) return true;
    }
  }
  return false;
}
