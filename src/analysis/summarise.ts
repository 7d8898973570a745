// Extractive summary: centroid centrality, lead bias and a bonus for sentences naming tagged entities.

import type { Article } from "../core/article.js";
import { FUNCTION_WORDS } from "./cues.js";
import { splitSentences } from "./splitter.js";
import { TermTable } from "./term-table.js";
import { hashKey, NUM, type Tokens } from "./tokenizer.js";

export const MAX_SUMMARY = 450;
const MAX_SENTENCES = 3;
const DUPLICATE_JACCARD = 0.5;
// Stop words as a bitset over token hashes: one AND per token. A content word whose hash happens to share a
// bit (about 1 in 8,000) is dropped from the centroid, which changes nothing measurable.
const STOP_BITS = 1 << 20;
const STOP = new Uint32Array(STOP_BITS >>> 5);
for (const h of [
  ...FUNCTION_WORDS,
  ...`be been being not no can could would should may might will has have had which who whom what where than then
  there into over under about more most other such only own same so too very just any each few out up down off
  were are was did does do new one two year years`
    .split(/\s+/)
    .filter(Boolean)
    .map(hashKey),
]) {
  const slot = (h & (STOP_BITS - 1)) >>> 5;
  STOP[slot] = (STOP[slot] as number) | (1 << (h & 31));
}
const isStop = (h: number): boolean =>
  ((STOP[(h & (STOP_BITS - 1)) >>> 5] as number) & (1 << (h & 31))) !== 0;

const table = new TermTable();

interface Candidate {
  text: string;
  start: number;
  end: number;
  index: number;
  terms: number[];
  score: number;
  entities: number;
}

/** `entityOffsets`: body offsets of accepted tag evidence, sorted ascending. */
export function summarise(article: Article, t: Tokens, entityOffsets: readonly number[]): string {
  const candidates: Candidate[] = [];
  let blockStart = 0;
  for (const block of article.blocks) {
    if (block.kind === "paragraph") {
      for (const s of splitSentences(block.text)) {
        if (s.text.length < 25 || !/[.!?"”’)]$/.test(s.text)) continue;
        const index = candidates.length;
        candidates.push({
          text: s.text,
          start: blockStart + s.start,
          end: blockStart + s.end,
          index,
          terms: [],
          score: 0,
          entities: 0,
        });
      }
    }
    blockStart += block.text.length + 2;
  }
  if (candidates.length === 0) return fallback(article);

  // Terms per sentence (dense slots of content words, each once) and document counts, from the body tokens.
  table.reset(t.n);
  const { counts, lastUse } = table;
  let c = 0;
  for (let k = 0; k < t.n && c < candidates.length; k++) {
    const pos = t.start[k] as number;
    while (c < candidates.length && pos >= (candidates[c] as Candidate).end) c++;
    const cand = candidates[c];
    if (!cand || pos < cand.start) continue;
    const h = t.hash[k] as number;
    if ((t.end[k] as number) - pos < 3 || ((t.flags[k] as number) & NUM) !== 0 || isStop(h)) continue;
    const slot = table.slot(h);
    counts[slot] = (counts[slot] as number) + 1;
    if (lastUse[slot] !== c) {
      lastUse[slot] = c;
      cand.terms.push(slot);
    }
  }
  let e = 0;
  let best = 0;
  for (const cand of candidates) {
    let sum = 0;
    for (const slot of cand.terms) sum += (counts[slot] as number) - 1;
    const centrality = cand.terms.length === 0 ? 0 : sum / Math.sqrt(cand.terms.length);
    let entities = 0;
    while (e < entityOffsets.length && (entityOffsets[e] as number) < cand.start) e++;
    for (let i = e; i < entityOffsets.length && (entityOffsets[i] as number) < cand.end; i++) entities++;
    cand.score = centrality;
    cand.entities = entities;
    if (centrality > best) best = centrality;
  }
  for (const cand of candidates) {
    const entities = cand.entities;
    const lead = cand.index === 0 ? 0.35 : cand.index === 1 ? 0.2 : cand.index === 2 ? 0.1 : 0;
    cand.score = (best > 0 ? cand.score / best : 0) + lead + Math.min(0.3, 0.1 * entities);
  }
  return select(candidates);
}

/** Jaccard similarity of a candidate's terms with chosen sentence `bit`, whose terms are marked in `marks`. */
function jaccard(chosen: number[], bit: number, cand: number[], marks: Int32Array): number {
  if (chosen.length === 0 || cand.length === 0) return 0;
  let inter = 0;
  for (const slot of cand) if (((marks[slot] as number) & bit) !== 0) inter++;
  return inter / (chosen.length + cand.length - inter);
}

function select(candidates: Candidate[]): string {
  const ranked = [...candidates].sort((a, b) => b.score - a.score || a.index - b.index);
  const chosen: Candidate[] = [];
  const marks = table.lastUse;
  // lastUse is free again after scoring: reuse it as a bitmask of which chosen sentences hold each term.
  for (const cand of candidates) for (const slot of cand.terms) marks[slot] = 0;
  let length = 0;
  for (const cand of ranked) {
    if (chosen.length >= MAX_SENTENCES) break;
    const extra = cand.text.length + (chosen.length > 0 ? 1 : 0);
    if (length + extra > MAX_SUMMARY) continue;
    const duplicate = chosen.some(
      (x, i) => x.text === cand.text || jaccard(x.terms, 1 << i, cand.terms, marks) >= DUPLICATE_JACCARD,
    );
    if (duplicate) continue;
    for (const slot of cand.terms) marks[slot] = (marks[slot] as number) | (1 << chosen.length);
    chosen.push(cand);
    length += extra;
  }
  if (chosen.length === 0) return truncate((ranked[0] as Candidate).text);
  return chosen
    .sort((a, b) => a.index - b.index)
    .map((x) => x.text)
    .join(" ");
}

function truncate(text: string): string {
  if (text.length <= MAX_SUMMARY) return text;
  const cut = text.lastIndexOf(" ", MAX_SUMMARY - 1);
  return `${text.slice(0, cut > 0 ? cut : MAX_SUMMARY - 1)}…`;
}

/** No usable sentence: the first paragraph (never a heading), cut to length. */
function fallback(article: Article): string {
  const first = article.blocks.find((b) => b.kind === "paragraph");
  return first ? truncate(first.text) : "";
}
