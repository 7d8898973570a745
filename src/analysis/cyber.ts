// The cyber signal's vocabulary part: one pass over an article's tokens counting cyber terms and CVE ids.

import type { Evidence } from "../core/article.js";
import { type Candidates, CYBER, type FirstTokens } from "./candidates.js";
import { NOT_TERMS, STRONG_TERMS, WEAK_TERMS } from "./cyber-terms.js";
import { surface } from "./surface.js";
import { codeAt, hashKey, phraseKeys, tokenEquals } from "./token-keys.js";
import { BREAK, NUM, type Tokens } from "./tokenizer.js";

/** A story is cyber when its terms weigh at least this much: one strong term, a CVE id, or two weak terms. */
export const CYBER_THRESHOLD = 2;

interface Form {
  keys: string[];
  hashes: number[];
  /** Index of the term group, or -1 for an ordinary phrase that cancels the term it starts with. */
  group: number;
}

const FILTER_BITS = 1 << 16;
const CVE = hashKey("cve");

/** The compiled vocabulary: forms by the hash of their first token, longest first, behind a small bitset. */
export class CyberVocabulary {
  private readonly filter = new Uint32Array(FILTER_BITS >>> 5);
  private readonly starts = new Map<number, Form[]>();
  readonly weights: number[] = [];
  // `starts` as an open-addressing table (first-token hash -> forms), so a scan never asks the Map.
  private readonly slotHash: Int32Array;
  private readonly slotForms: (Form[] | undefined)[];
  private readonly slotBits: number;

  constructor() {
    this.add(STRONG_TERMS, 2);
    this.add(WEAK_TERMS, 1);
    this.add(NOT_TERMS, 0);
    this.mark(CVE);
    for (const list of this.starts.values()) list.sort((a, b) => b.keys.length - a.keys.length);
    if (this.weights.length > 52) throw new Error("the cyber vocabulary has more than 52 term groups");
    let bits = 4;
    while (1 << bits < this.starts.size * 2) bits++;
    this.slotBits = bits;
    this.slotHash = new Int32Array(1 << bits);
    this.slotForms = new Array<Form[] | undefined>(1 << bits).fill(undefined);
    for (const [h, list] of this.starts) {
      let s = slotOf(h, bits);
      while (this.slotForms[s] !== undefined) s = (s + 1) & ((1 << bits) - 1);
      this.slotHash[s] = h;
      this.slotForms[s] = list;
    }
  }

  /** The forms whose first token has hash `h`. */
  private formsOf(h: number): Form[] | undefined {
    const mask = (1 << this.slotBits) - 1;
    for (let s = slotOf(h, this.slotBits); ; s = (s + 1) & mask) {
      const list = this.slotForms[s];
      if (list === undefined || this.slotHash[s] === h) return list;
    }
  }

  private add(lines: string, weight: number): void {
    for (const line of lines.split("\n")) {
      const forms = line.split("|").map((f) => phraseKeys(f));
      if (forms.every((f) => f.length === 0)) continue;
      const group = weight === 0 ? -1 : this.weights.push(weight) - 1;
      for (const keys of forms) {
        if (keys.length === 0) continue;
        const hashes = keys.map(hashKey);
        const first = hashes[0] as number;
        this.mark(first);
        const list = this.starts.get(first);
        const form = { keys, hashes, group };
        if (list) list.push(form);
        else this.starts.set(first, [form]);
      }
    }
  }

  private mark(h: number): void {
    const slot = (h & (FILTER_BITS - 1)) >>> 5;
    this.filter[slot] = (this.filter[slot] as number) | (1 << (h & 31));
  }

  /**
   * Adds the terms of `t` to `scan` (each group counted once per article; the longest form at a token wins, and
   * an ordinary phrase such as "breach of contract" hides its term). `offsetBase` -1 marks title evidence.
   */
  scan(t: Tokens, offsetBase: number, scan: CyberScan, candidates?: Candidates): void {
    if (candidates) {
      const { at, kinds } = candidates;
      let next = 0;
      for (let c = 0; c < candidates.n; c++) {
        const i = at[c] as number;
        if (((kinds[c] as number) & CYBER) === 0 || i < next) continue;
        const last = this.scanAt(t, i, offsetBase, scan);
        if (last >= 0) next = last + 1;
      }
      return;
    }
    for (let i = 0; i < t.n; i++) {
      const last = this.scanAt(t, i, offsetBase, scan);
      if (last >= 0) i = last;
    }
  }

  /** Marks the first token of every form (and "cve") in `first`. */
  markFirstTokens(first: FirstTokens): void {
    for (const h of this.starts.keys()) first.mark(h, CYBER);
    first.mark(CVE, CYBER);
  }

  /** The term starting at token `i` added to `scan`: its last token, or -1 when none starts there. */
  private scanAt(t: Tokens, i: number, offsetBase: number, scan: CyberScan): number {
    const h = t.hash[i] as number;
    if (((this.filter[(h & (FILTER_BITS - 1)) >>> 5] as number) & (1 << (h & 31))) === 0) return -1;
    if (h === CVE && cveAt(t, i)) {
      scan.hit(-2, 2, evidence(t, i, i + 2, offsetBase));
      return i + 2;
    }
    const list = this.formsOf(h);
    if (!list) return -1;
    // A one-word term whose group is counted already: nothing to add, and no longer form starts here to check.
    const only = list.length === 1 ? (list[0] as Form) : undefined;
    if (only && only.keys.length === 1 && only.group >= 0 && scan.seen(only.group)) return -1;
    const form = this.formAt(t, i, list);
    if (!form) return -1;
    const last = i + form.keys.length - 1;
    // A group already counted costs no evidence object: most repeats end here.
    if (form.group >= 0 && !scan.seen(form.group)) {
      scan.hit(form.group, this.weights[form.group] as number, evidence(t, i, last, offsetBase));
    }
    return last;
  }

  private formAt(t: Tokens, i: number, list: readonly Form[]): Form | undefined {
    // The forms here share their first token's hash, nearly always its key too: spell it out once per key.
    let firstKey = "";
    let firstOk = false;
    next: for (const form of list) {
      const len = form.keys.length;
      if (i + len > t.n) continue;
      const key = form.keys[0] as string;
      if (key !== firstKey) {
        firstKey = key;
        firstOk = tokenEquals(t, i, key);
      }
      if (!firstOk) continue;
      for (let k = 1; k < len; k++) {
        if (((t.flags[i + k] as number) & BREAK) !== 0) continue next;
        if (t.hash[i + k] !== form.hashes[k] || !tokenEquals(t, i + k, form.keys[k] as string)) continue next;
      }
      return form;
    }
    return undefined;
  }
}

const slotOf = (h: number, bits: number): number => Math.imul(h, 0x9e3779b1) >>> (32 - bits);

/** What one article's scan found: its score and the first evidence of each term group (CVE ids each). */
export class CyberScan {
  score = 0;
  readonly evidence: Evidence[] = [];
  /** The CVE ids found, upper-case, each once (one evidence each), in the order scanned. */
  readonly cves: string[] = [];
  /** One flag per term group counted (the vocabulary has fewer than 53 groups; checked when it is built). */
  private readonly groups = new Uint8Array(64);

  seen(group: number): boolean {
    return this.groups[group] === 1;
  }

  /** A term of `group` was found; group -2 is a CVE id, counted once per id (in any case). */
  hit(group: number, weight: number, found: Evidence): void {
    if (group >= 0) {
      if (this.groups[group] === 1) return;
      this.groups[group] = 1;
    } else {
      const id = found.text.toUpperCase();
      if (this.cves.includes(id)) return;
      this.cves.push(id);
    }
    this.score += weight;
    this.evidence.push(found);
  }
}

/** "CVE-2024-3400": the letters, a dash, four digits, a dash, four or more digits. */
function cveAt(t: Tokens, i: number): boolean {
  if (i + 2 >= t.n) return false;
  for (const [k, min, max] of [
    [i + 1, 4, 4],
    [i + 2, 4, 12],
  ] as const) {
    if (((t.flags[k] as number) & NUM) === 0) return false;
    const start = t.start[k] as number;
    const len = (t.end[k] as number) - start;
    if (len < min || len > max) return false;
    if (start - (t.end[k - 1] as number) !== 1 || codeAt(t, start - 1) !== 45) return false;
  }
  return true;
}

function evidence(t: Tokens, first: number, last: number, offsetBase: number): Evidence {
  return {
    text: surface(t, first, last),
    offset: offsetBase < 0 ? -1 : (t.start[first] as number) + offsetBase,
  };
}
