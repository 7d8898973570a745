// The labelled event pairs of tests/fixtures/events read through the real reader and analyser, and their score.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createAnalyser, type Gazetteer } from "../src/analysis/index.js";
import { type EventFacts, eventFacts, type SameEvent, sameEvent } from "../src/analysis/same-event.js";
import { isRejected, readArticle } from "../src/ingest/reader.js";

// Compiled to dist/bench for the bench, run from bench/ by the tests.
const ROOT = join(import.meta.dirname, import.meta.dirname.endsWith(join("dist", "bench")) ? "../.." : "..");
export const EVENTS_DIR = join(ROOT, "tests/fixtures/events");

export interface Pair {
  a: string;
  b: string;
  same: boolean;
  why: string;
}

export interface Judged extends Pair {
  result: SameEvent;
}

export interface Score {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  precision: number;
  recall: number;
  wrong: Judged[];
}

/** Every article of the folder as EventFacts, by file name without ".md". */
export function loadFacts(g: Gazetteer, dir = EVENTS_DIR): Map<string, EventFacts> {
  const analyse = createAnalyser(g);
  const facts = new Map<string, EventFacts>();
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".md"))) {
    const path = join(dir, name);
    const article = readArticle(readFileSync(path), { path, mtimeMs: 0 });
    if (isRejected(article)) throw new Error(`${name}: ${article.detail}`);
    facts.set(name.slice(0, -3), eventFacts(article, analyse(article)));
  }
  return facts;
}

export function loadPairs(dir = EVENTS_DIR): Pair[] {
  return (JSON.parse(readFileSync(join(dir, "pairs.json"), "utf8")) as { pairs: Pair[] }).pairs;
}

/** Runs every pair through sameEvent and counts the confusion matrix. */
export function judge(facts: Map<string, EventFacts>, pairs: Pair[]): { judged: Judged[]; score: Score } {
  const get = (id: string): EventFacts => {
    const f = facts.get(id);
    if (!f) throw new Error(`pairs.json names ${id}, which has no ${id}.md`);
    return f;
  };
  const judged = pairs.map((p) => ({ ...p, result: sameEvent(get(p.a), get(p.b)) }));
  const count = (same: boolean, said: boolean) =>
    judged.filter((j) => j.same === same && j.result.same === said).length;
  const tp = count(true, true);
  const fp = count(false, true);
  const fn = count(true, false);
  const tn = count(false, false);
  const score: Score = {
    tp,
    fp,
    tn,
    fn,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: tp + fn === 0 ? 1 : tp / (tp + fn),
    wrong: judged.filter((j) => j.same !== j.result.same),
  };
  return { judged, score };
}
