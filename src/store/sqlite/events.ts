// Which event a new story reports: candidates from a recent window through two indexes (the sketch keys of its
// text, and its actors and blamed countries), each judged by analysis/same-event.ts; the facts kept for later ones.

import type Database from "better-sqlite3";
import {
  cvesIn,
  type EventFacts,
  MAX_DAYS,
  NEAR_COPY,
  type SameEvent,
  sameEvent,
} from "../../analysis/same-event.js";
import { estimateJaccard, fromBytes, sketchKeys, textSignatures, toBytes } from "../../analysis/shingles.js";
import type { Analysis, Article } from "../../core/article.js";

type Sql = (text: string) => Database.Statement;

/** Near-copies are looked for this many days either side of the article's date (reports in other words: MAX_DAYS). */
export const COPY_DAYS = 30;
/** Sketch keys a story must share with the new one to be judged as a possible copy (of SKETCH_KEYS). */
const MIN_SHARED = 3;
/** A sketch key shared by more stories than this in the window is boilerplate: it is not followed. */
const STOP_KEY = 12;
/** At most this many possible copies, and this many events' first stories, are judged per article. */
const MAX_COPIES = 16;
const MAX_EVENTS = 24;

type Judged = { row: FactsRow; result: SameEvent };

/** What `decide` found for a new article: the event it joins (none: its own) and what `record` keeps. */
export interface EventDecision {
  facts: EventFacts;
  day: number;
  keys: number[];
  /** The rowid of the first story of the event it joins; absent when it starts one. */
  eventRowid?: number;
  merged?: { with: string; score: number; reasons: string[] };
}

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

export class EventIndex {
  constructor(private readonly sql: Sql) {}

  /**
   * Decides the event of a new article before its story is stored (inside the save transaction): the story
   * judged the same event with the best score names it; none, and the story will start its own.
   */
  decide(facts: EventFacts): EventDecision {
    const day = dayOf(facts.date);
    const keys = sketchKeys(facts.signature);
    const best = this.bestCopy(facts, day, keys) ?? this.bestReport(facts, day);
    if (!best) return { facts, day, keys };
    return {
      facts,
      day,
      keys,
      eventRowid: best.row.event_rowid ?? best.row.story_rowid,
      merged: { with: best.row.id, score: round(best.result.score), reasons: best.result.reasons },
    };
  }

  /** Records the facts and sketch keys of the story `rowid`, stored with `decision`; returns its event. */
  record(rowid: number, decision: EventDecision): EventChoice {
    const { facts, day, keys } = decision;
    this.writeFacts(rowid, facts, day, keys);
    if (decision.eventRowid === undefined) {
      this.addLead(rowid, facts, day);
      return { rowid, lead: true };
    }
    return {
      rowid: decision.eventRowid,
      lead: false,
      ...(decision.merged ? { merged: decision.merged } : {}),
    };
  }

  /** The closest near-copy among the stories sharing sketch keys within COPY_DAYS: copies join any story's event. */
  private bestCopy(facts: EventFacts, day: number, keys: number[]): Judged | undefined {
    // A copy shares several keys (6 of 10 at 60% of text shared, more above); a text that shares a stock
    // phrase or an outlet's footer, one or two. A key shared by more than STOP_KEY recent stories is such
    // boilerplate and tells nothing.
    const byKey = this.sql(
      "SELECT story_rowid FROM event_keys WHERE key = ? AND day BETWEEN ? AND ? LIMIT ?",
    ).pluck();
    const hits = new Map<number, number>();
    for (const key of keys) {
      const rows = byKey.all(key, day - COPY_DAYS, day + COPY_DAYS, STOP_KEY + 1) as number[];
      if (rows.length > STOP_KEY) continue;
      for (const id of rows) hits.set(id, (hits.get(id) ?? 0) + 1);
    }
    const ids = new Set(
      [...hits]
        .filter(([, n]) => n >= MIN_SHARED)
        .sort((a, b) => b[1] - a[1] || b[0] - a[0])
        .slice(0, MAX_COPIES)
        .map(([id]) => id),
    );
    let best: Judged | undefined;
    for (const row of this.load([...ids])) {
      const sim = estimateJaccard(facts.signature, fromBytes(row.signature));
      if (sim < NEAR_COPY || (best && sim <= best.result.score)) continue;
      best = { row, result: sameEvent(facts, this.toFacts(row)) };
    }
    return best;
  }

  /**
   * A report in other words is judged against the first story of each recent event that shares an actor or a
   * blamed country with it, never against the event's later stories: an event cannot creep, story by story,
   * into a neighbouring one, and it ends MAX_DAYS after its first report.
   */
  private bestReport(facts: EventFacts, day: number): Judged | undefined {
    const byTag = this.sql(
      `SELECT event_rowid FROM event_leads WHERE kind = ? AND value = ? AND day BETWEEN ? AND ?
       ORDER BY day DESC LIMIT ?`,
    ).pluck();
    const leads = new Set<number>();
    for (const [kind, value] of leadKeys(facts)) {
      for (const id of byTag.all(kind, value, day - MAX_DAYS, day + MAX_DAYS, MAX_EVENTS) as number[]) {
        leads.add(id);
      }
    }
    let best: Judged | undefined;
    for (const row of this.load([...leads].sort((a, b) => b - a).slice(0, MAX_EVENTS))) {
      const result = sameEvent(facts, this.toFacts(row));
      if (result.same && (!best || result.score > best.result.score)) best = { row, result };
    }
    return best;
  }

  private load(ids: number[]): FactsRow[] {
    const stmt = this.sql(
      `SELECT f.story_rowid, s.event_rowid, s.id, s.date, f.tags_json, f.signature, f.topic
       FROM event_facts f JOIN stories s ON s.rowid = f.story_rowid WHERE f.story_rowid = ?`,
    );
    const rows: FactsRow[] = [];
    for (const id of ids) {
      const row = stmt.get(id) as FactsRow | undefined;
      if (row) rows.push(row);
    }
    return rows;
  }

  /** A revision's new text and tags replace the story's facts; the story stays in its event. */
  revise(rowid: number, facts: EventFacts): void {
    const day = dayOf(facts.date);
    this.sql("DELETE FROM event_keys WHERE story_rowid = ?").run(rowid);
    this.writeFacts(rowid, facts, day, sketchKeys(facts.signature));
    if (this.eventOf(rowid) === rowid) this.addLead(rowid, facts, day);
  }

  /** The first story of an event is found by its actors and blamed countries (a revision may add some). */
  private addLead(rowid: number, facts: EventFacts, day: number): void {
    const insert = this.sql(
      "INSERT OR IGNORE INTO event_leads (kind, value, day, event_rowid) VALUES (?, ?, ?, ?)",
    );
    for (const [kind, value] of leadKeys(facts)) insert.run(kind, value, day, rowid);
  }

  /** The event a stored story belongs to (its own for a story stored before events). */
  eventOf(rowid: number): number {
    const row = this.sql("SELECT event_rowid FROM stories WHERE rowid = ?").pluck().get(rowid) as
      | number
      | null
      | undefined;
    return row ?? rowid;
  }

  private writeFacts(rowid: number, facts: EventFacts, day: number, keys: number[]): void {
    const tags: StoredTags = { actors: facts.actors, countries: facts.countries, cves: facts.cves ?? [] };
    this.sql(
      `INSERT OR REPLACE INTO event_facts (story_rowid, day, tags_json, signature, topic) VALUES (?, ?, ?, ?, ?)`,
    ).run(rowid, day, JSON.stringify(tags), toBytes(facts.signature), toBytes(facts.topic));
    this.sql(
      "INSERT OR IGNORE INTO event_keys (key, day, story_rowid) SELECT value, ?, ? FROM json_each(?)",
    ).run(day, rowid, JSON.stringify(keys));
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

/** What an event's first story is found by: each actor, and each country it blames. */
function leadKeys(facts: EventFacts): Array<["actor" | "sponsor", string]> {
  const keys: Array<["actor" | "sponsor", string]> = facts.actors.map((a) => ["actor", a]);
  for (const c of facts.countries) if (c.roles.includes("sponsor")) keys.push(["sponsor", c.code]);
  return keys;
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
