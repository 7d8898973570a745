// Which event a new story reports: candidates from a recent window through two indexes (LSH band keys of its
// text, and its actors and blamed countries), each judged by analysis/same-event.ts; the facts kept for later ones.

import type Database from "better-sqlite3";
import { cvesIn, type EventFacts, MAX_DAYS, type SameEvent, sameEvent } from "../../analysis/same-event.js";
import { bandKeys, fromBytes, textSignatures, toBytes } from "../../analysis/shingles.js";
import type { Analysis, Article } from "../../core/article.js";

type Sql = (text: string) => Database.Statement;

/** Near-copies are looked for this many days either side of the article's date (reports in other words: MAX_DAYS). */
export const COPY_DAYS = 30;
/** At most this many stories per tag are judged: the newest in the window. */
const PER_TAG = 40;
/** At most this many candidates are judged per article, whatever the indexes return. */
const MAX_CANDIDATES = 120;

/** The event a story joined; `merged` says with which story and why, when it is not the event's first. */
export interface EventChoice {
  rowid: number;
  lead: boolean;
  merged?: { with: string; score: number; reasons: string[] };
}

const DAY_MS = 86_400_000;
/** Days since 1970 of a YYYY-MM-DD date (0 for one that does not parse: such stories meet only near-copies). */
export function dayOf(date: string): number {
  const ms = Date.parse(`${date}T00:00:00Z`);
  return Number.isFinite(ms) ? Math.floor(ms / DAY_MS) : 0;
}

/** The facts sameEvent needs, from the article and its analysis (signatures from the worker when it made them). */
export function factsOf(article: Article, analysis: Analysis): EventFacts {
  const text = `${article.title}\n\n${article.body}`;
  const sigs = analysis.signatures ?? textSignatures(text);
  return {
    date: article.date,
    signature: sigs.signature,
    topic: sigs.topic,
    actors: analysis.actors.map((a) => a.id),
    countries: analysis.countries.map((c) => ({ code: c.code, roles: [...c.roles] })),
    cves: cvesIn(text),
  };
}

interface FactsRow {
  story_rowid: number;
  event_rowid: number | null;
  id: string;
  date: string;
  tags_json: string;
  signature: Uint8Array;
  topic: Uint8Array;
}

type StoredTags = Pick<EventFacts, "actors" | "countries" | "cves">;

const isoDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

export class EventIndex {
  constructor(private readonly sql: Sql) {}

  /**
   * Decides the event of the new story `rowid` (inside its save transaction) and records its facts and band
   * keys. The best-scoring story judged the same event names it; none: the story starts its own.
   */
  assign(rowid: number, facts: EventFacts): EventChoice {
    const day = dayOf(facts.date);
    const bands = bandKeys(facts.signature);
    let best: { row: FactsRow; result: SameEvent } | undefined;
    for (const row of this.candidates(rowid, facts, day, bands)) {
      const result = sameEvent(facts, this.toFacts(row));
      if (result.same && (!best || result.score > best.result.score)) best = { row, result };
    }
    const choice: EventChoice = best
      ? {
          rowid: best.row.event_rowid ?? best.row.story_rowid,
          lead: false,
          merged: { with: best.row.id, score: round(best.result.score), reasons: best.result.reasons },
        }
      : { rowid, lead: true };
    this.sql("UPDATE stories SET event_rowid = ?, merged_json = ? WHERE rowid = ?").run(
      choice.rowid,
      choice.merged ? JSON.stringify(choice.merged) : null,
      rowid,
    );
    this.record(rowid, facts, day, bands);
    return choice;
  }

  /** A revision's new text and tags replace the story's facts; the story stays in its event. */
  revise(rowid: number, facts: EventFacts): void {
    this.sql("DELETE FROM event_bands WHERE story_rowid = ?").run(rowid);
    this.record(rowid, facts, dayOf(facts.date), bandKeys(facts.signature));
  }

  /** The event a stored story belongs to (its own for a story stored before events). */
  eventOf(rowid: number): number {
    const row = this.sql("SELECT event_rowid FROM stories WHERE rowid = ?").pluck().get(rowid) as
      | number
      | null
      | undefined;
    return row ?? rowid;
  }

  private record(rowid: number, facts: EventFacts, day: number, bands: number[]): void {
    const tags: StoredTags = { actors: facts.actors, countries: facts.countries, cves: facts.cves ?? [] };
    this.sql(
      `INSERT OR REPLACE INTO event_facts (story_rowid, day, tags_json, signature, topic) VALUES (?, ?, ?, ?, ?)`,
    ).run(rowid, day, JSON.stringify(tags), toBytes(facts.signature), toBytes(facts.topic));
    const insert = this.sql("INSERT OR IGNORE INTO event_bands (band, day, story_rowid) VALUES (?, ?, ?)");
    for (const band of bands) insert.run(band, day, rowid);
  }

  /** Stories sharing a band key within COPY_DAYS, or an actor or a blamed country within MAX_DAYS. */
  private candidates(rowid: number, facts: EventFacts, day: number, bands: number[]): FactsRow[] {
    const ids = new Set<number>();
    const byBand = this.sql(
      "SELECT story_rowid FROM event_bands WHERE band = ? AND day BETWEEN ? AND ? LIMIT ?",
    ).pluck();
    for (const band of bands) {
      for (const id of byBand.all(band, day - COPY_DAYS, day + COPY_DAYS, PER_TAG) as number[]) ids.add(id);
    }
    const from = isoDay(day - MAX_DAYS);
    const to = isoDay(day + MAX_DAYS);
    const byTag = this.sql(
      `SELECT story_rowid FROM story_tags WHERE kind = ? AND value = ? AND role = ? AND date BETWEEN ? AND ?
       ORDER BY date DESC, story_rowid DESC LIMIT ?`,
    ).pluck();
    const tags: Array<[string, string, string]> = facts.actors.map((a) => ["actor", a, ""]);
    for (const c of facts.countries)
      if (c.roles.includes("sponsor")) tags.push(["country", c.code, "sponsor"]);
    for (const [kind, value, role] of tags) {
      for (const id of byTag.all(kind, value, role, from, to, PER_TAG) as number[]) ids.add(id);
    }
    ids.delete(rowid);
    const load = this.sql(
      `SELECT f.story_rowid, s.event_rowid, s.id, s.date, f.tags_json, f.signature, f.topic
       FROM event_facts f JOIN stories s ON s.rowid = f.story_rowid WHERE f.story_rowid = ?`,
    );
    const rows: FactsRow[] = [];
    for (const id of [...ids].sort((a, b) => b - a).slice(0, MAX_CANDIDATES)) {
      const row = load.get(id) as FactsRow | undefined;
      if (row) rows.push(row);
    }
    return rows;
  }

  private toFacts(row: FactsRow): EventFacts {
    const tags = JSON.parse(row.tags_json) as StoredTags;
    return {
      date: row.date,
      signature: fromBytes(row.signature),
      topic: fromBytes(row.topic),
      actors: tags.actors,
      countries: tags.countries,
      cves: tags.cves,
    };
  }
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
