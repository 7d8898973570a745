// Extractive summary that says who did what to whom: sentences found from the body tokens, scored by centrality
// and lead position, then chosen greedily so that the actors, blamed countries and targets are named.

import type { Article, Evidence } from "../core/article.js";
import { boilerplateMarks, datelineLength } from "../core/boilerplate.js";
import { hasFurniture } from "./furniture.js";
import { createSpans, tokenSentences } from "./splitter.js";
import { fallback, fitting, holds, type Item, joined, MAX_SENTENCES, titleKey } from "./summary-choice.js";
import {
  COUNT,
  closes,
  copy,
  type Focus,
  MAX_ENTITIES,
  STAMP,
  STOP,
  STOP_BITS,
  type Summarise,
  TERM_BITS,
  WEIGHT,
} from "./summary-terms.js";
import { NUM, type Tokens } from "./tokenizer.js";

export { MAX_SUMMARY } from "./summary-choice.js";

export function createSummariser(): Summarise {
  const spans = createSpans();
  // One record of four numbers per term slot, together in one cache line: the serial of the sentence (or pair)
  // that saw it last (SEEN), the first serial of the article that counted it (STAMP), and its count (COUNT).
  const table = new Int32Array(4 << TERM_BITS);
  let serial = 0;
  /** The serial of an article's first sentence: a term stamped with an older one has a stale count. */
  let generation = 0;
  let score: Float64Array = new Float64Array(64);
  let mask: Int32Array = new Int32Array(64);
  /** Per sentence, its distinct terms' records (slot times four): `terms[termStart[s] .. termStart[s + 1])`. */
  let termStart: Int32Array = new Int32Array(65);
  let terms: Int32Array = new Int32Array(1024);
  // Evidence of the entities to name: body offset, end and entity bit, three numbers each.
  let evidence: Int32Array = new Int32Array(96);
  let evidenceN = 0;
  const weights: number[] = [];
  /** Per sentence, whether `choose` has tried it. */
  let tried = new Uint8Array(64);

  /** Appends the distinct content-term slots of tokens [first, last) to `terms` from `at`; returns the new end. */
  const collect = (t: Tokens, first: number, last: number, at: number): number => {
    const id = ++serial;
    if (at + last - first > terms.length) terms = copy(terms, new Int32Array((at + last - first) * 2));
    const out = terms;
    const { hash, start, end, flags } = t;
    const gen = generation;
    let n = at;
    for (let k = first; k < last; k++) {
      if ((end[k] as number) - (start[k] as number) < 3 || ((flags[k] as number) & NUM) !== 0) continue;
      const h = hash[k] as number;
      if (((STOP[(h & (STOP_BITS - 1)) >>> 5] as number) & (1 << (h & 31))) !== 0) continue;
      const slot = (Math.imul(h, 0x9e3779b1) >>> (32 - TERM_BITS)) << 2;
      if (table[slot] === id) continue;
      table[slot] = id;
      out[n++] = slot;
      // The first sight in this article resets the count: `stamp` holds the article's first serial.
      if (table[slot + STAMP] !== gen) {
        table[slot + STAMP] = gen;
        table[slot + COUNT] = 1;
      } else table[slot + COUNT] = (table[slot + COUNT] as number) + 1;
    }
    return n;
  };

  return (article, t, focus) => {
    const body = article.body;
    tokenSentences(t, article.blocks, spans);
    const n = spans.n;
    if (n + 1 > termStart.length) {
      score = new Float64Array(n * 2);
      mask = new Int32Array(n * 2);
      termStart = new Int32Array(n * 2 + 1);
    }
    // One pass over the tokens: each usable sentence's terms (it ends in a stop and is no fragment) and counts.
    generation = serial + 1;
    let usable = 0;
    let at = 0;
    for (let s = 0; s < n; s++) {
      const start = spans.start[s] as number;
      const end = spans.end[s] as number;
      termStart[s] = at;
      mask[s] = 0;
      if (end - start < 25 || !closes(body.charCodeAt(end - 1))) {
        score[s] = -1;
        continue;
      }
      usable++;
      score[s] = 0;
      at = collect(t, spans.first[s] as number, spans.last[s] as number, at);
    }
    termStart[n] = at;
    if (usable === 0) return fallback(article);
    // Centrality: how many other sentences share each term, over the root of the number of terms.
    let best = 0;
    for (let s = 0; s < n; s++) {
      if ((score[s] as number) < 0) continue;
      const from = termStart[s] as number;
      const to = termStart[s + 1] as number;
      let sum = 0;
      for (let i = from; i < to; i++) sum += (table[(terms[i] as number) + COUNT] as number) - 1;
      const c = to === from ? 0 : sum / Math.sqrt(to - from);
      score[s] = c;
      if (c > best) best = c;
    }
    const offsets = focus.offsets;
    let e = 0;
    let index = 0;
    for (let s = 0; s < n; s++) {
      if ((score[s] as number) < 0) continue;
      const start = spans.start[s] as number;
      const end = spans.end[s] as number;
      while (e < offsets.length && (offsets[e] as number) < start) e++;
      let named = 0;
      for (let i = e; i < offsets.length && (offsets[i] as number) < end; i++) named++;
      const lead = index === 0 ? 0.35 : index === 1 ? 0.2 : index === 2 ? 0.1 : 0;
      score[s] = (best > 0 ? (score[s] as number) / best : 0) + lead + Math.min(0.3, 0.1 * named);
      index++;
    }
    markEntities(focus);
    return choose(article, t, titleKey(article.title)) || choose(article, t, "") || fallback(article);
  };

  /** Entities to name, one bit each: actors, blamed countries, then targets; their evidence marks sentences. */
  function markEntities(focus: Focus): void {
    evidenceN = 0;
    weights.length = 0;
    for (const a of focus.actors) addEntity(a.matched, WEIGHT.actor);
    for (const c of focus.countries) if (c.roles.includes("sponsor")) addEntity(c.matched, WEIGHT.sponsor);
    for (const c of focus.countries)
      if (c.roles.includes("target") && !c.roles.includes("sponsor")) addEntity(c.matched, WEIGHT.target);
  }

  /** One more entity bit: its weight, and the sentences and evidence spans that name it. */
  function addEntity(matched: readonly Evidence[], weight: number): void {
    if (weights.length >= MAX_ENTITIES) return;
    const bit = weights.length;
    weights.push(weight);
    for (const m of matched) {
      if (m.offset < 0) continue;
      const s = sentenceAt(m.offset);
      if (s < 0 || (score[s] as number) < 0) continue;
      mask[s] = (mask[s] as number) | (1 << bit);
      if (evidenceN * 3 + 3 > evidence.length) evidence = copy(evidence, new Int32Array(evidence.length * 2));
      evidence[evidenceN * 3] = m.offset;
      evidence[evidenceN * 3 + 1] = m.offset + m.text.length;
      evidence[evidenceN * 3 + 2] = bit;
      evidenceN++;
    }
  }

  /** The sentence holding body offset `offset`, or -1 (binary search over the spans). */
  function sentenceAt(offset: number): number {
    let lo = 0;
    let hi = spans.n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if ((spans.end[mid] as number) <= offset) lo = mid + 1;
      else if ((spans.start[mid] as number) > offset) hi = mid - 1;
      else return mid;
    }
    return -1;
  }

  /**
   * Up to three sentences, chosen one at a time: the one whose score plus the weight of the entities it names
   * that no chosen one names yet is highest, skipping boilerplate, repeats of a chosen sentence, sentences that
   * hold `title` word for word, and sentences that do not fit (even shortened). Text is made only for those tried.
   */
  function choose(article: Article, t: Tokens, title: string): string {
    if (tried.length < spans.n) tried = new Uint8Array(spans.n * 2);
    tried.fill(0, 0, spans.n);
    const chosen: Item[] = [];
    let forms: boolean[] = [];
    let covered = 0;
    while (chosen.length < MAX_SENTENCES) {
      let pick = -1;
      let value = Number.NEGATIVE_INFINITY;
      for (let s = 0; s < spans.n; s++) {
        if ((score[s] as number) < 0 || tried[s] !== 0) continue;
        let v = score[s] as number;
        for (let m = (mask[s] as number) & ~covered, bit = 0; m !== 0; m >>>= 1, bit++)
          if ((m & 1) !== 0) v += weights[bit] as number;
        if (v > value) {
          value = v;
          pick = s;
        }
      }
      if (pick < 0) break;
      tried[pick] = 1;
      const item = itemOf(article, t, pick, title);
      if (!item || chosen.some((c) => similar(c, item))) continue;
      const next = fitting([...chosen, item]);
      if (!next) continue;
      chosen.push(item);
      forms = next;
      covered |= mask[pick] as number;
    }
    return chosen.length === 0 ? "" : joined(chosen, forms);
  }

  /** Sentence `s` as a summary item (dateline dropped, shortened form ready), or null when it cannot be one. */
  function itemOf(article: Article, t: Tokens, s: number, title: string): Item | null {
    const start = spans.start[s] as number;
    const end = spans.end[s] as number;
    let text = article.body.slice(start, end);
    // Datelines open paragraphs only.
    const skip = start === 0 || article.body.charCodeAt(start - 1) === 10 ? datelineLength(text) : 0;
    if (skip > 0) text = text.slice(skip);
    if (text.length < 25 || boilerplateMarks(text)) return null;
    if (hasFurniture(t, spans.first[s] as number, spans.last[s] as number)) return null;
    if (title && holds(text, title)) return null;
    let last = 0;
    for (let i = 0; i < evidenceN; i++) {
      const from = evidence[i * 3] as number;
      const to = evidence[i * 3 + 1] as number;
      if (from >= start + skip && to <= end) last = Math.max(last, to - start - skip);
    }
    return { index: s, text, last, short: undefined };
  }

  /** The same text, or sentences whose content terms have a Jaccard similarity of at least one half. */
  function similar(a: Item, b: Item): boolean {
    if (a.text === b.text) return true;
    const id = ++serial;
    const fromA = termStart[a.index] as number;
    const toA = termStart[a.index + 1] as number;
    const fromB = termStart[b.index] as number;
    const toB = termStart[b.index + 1] as number;
    for (let i = fromA; i < toA; i++) table[terms[i] as number] = id;
    let shared = 0;
    for (let i = fromB; i < toB; i++) if (table[terms[i] as number] === id) shared++;
    const union = toA - fromA + (toB - fromB) - shared;
    return union > 0 && toA > fromA && toB > fromB && shared / union >= 0.5;
  }
}
