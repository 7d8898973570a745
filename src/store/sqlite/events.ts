// Which event a new story reports: candidates from a recent window through the in-memory index (the sketch keys
// of its text, and its actors and blamed countries), judged by analysis/same-event.ts; the facts kept for later.

import type Database from "better-sqlite3";
import {
  dayNumber,
  type EventFacts,
  MAX_DAYS,
  NEAR_COPY,
  nearCopy,
  type SameEvent,
  sameEvent,
  sameEventScore,
} from "../../analysis/same-event.js";
import { estimateJaccard, fromBytes, sketchKeys, toBytes } from "../../analysis/shingles.js";
import type { Analysis } from "../../core/article.js";
import { EventDays, type Lead, lookupTags, type StoredTags, tagFacts } from "./event-days.js";
import { RecentKeys } from "./recent-keys.js";

type Sql = (text: string) => Database.Statement;

/** Near-copies are looked for this many days either side of the article's date (reports in other words: MAX_DAYS). */
export const COPY_DAYS = 14;
/** Sketch keys a story must share with the new one to be judged as a possible copy (of SKETCH_KEYS). */
export const MIN_SHARED = 3;
/** A sketch key shared by more stories than this in the window is boilerplate: it is not followed. */
const STOP_KEY = 12;
/** At most this many possible copies, and this many events' first stories, are judged per article. */
const MAX_COPIES = 16;
const MAX_EVENTS = 12;

/** The story a new article was judged to report the same event as. */
interface Match {
  /** The first story of the event it joins. */
  eventRowid: number;
  id: string;
  result: SameEvent;
  /** The tags of the event's first story. */
  leadTags: LeadTags;
}

/** The tags of an event's first story: a later story shows in lists under the tags it lacks. */
export type LeadTags = Pick<EventFacts, "actors" | "countries">;

/** What `decide` found for a new article: the event it joins (none: its own) and what `record` keeps. */
export interface EventDecision {
  facts: EventFacts;
  day: number;
  /** Its sketch keys (analysis/shingles.ts sketchKeys). */
  keys: number[];
  /** The rowid of the first story of the event it joins; absent when it starts one. */
  eventRowid?: number;
  merged?: { with: string; score: number; reasons: string[] };
  /** The tags of the first story of the event it joins. */
  leadTags?: LeadTags;
}

/** The event a story joined: `rowid` is its first story's (its own when `lead`). */
export interface EventChoice {
  rowid: number;
  lead: boolean;
}

/**
 * The story columns deciding later events reads: the sketch keys, the signature (a possible copy's original is
 * checked against it) and, for an event's first story only, the topic signature (later stories are never judged
 * by their topic).
 */
export function eventColumns(
  facts: EventFacts,
  keys: readonly number[],
  lead: boolean,
): [Uint8Array, Uint8Array, Uint8Array | null] {
  return [toBytes(Uint32Array.from(keys)), toBytes(facts.signature), lead ? toBytes(facts.topic) : null];
}

/** Days since 1970 of a YYYY-MM-DD date (0 for one that does not parse: such stories meet only near-copies). */
export function dayOf(date: string): number {
  const day = dayNumber(date);
  return Number.isFinite(day) ? day : 0;
}

/** The sketch keys of an analysed article: the worker's, else made from its signature. */
export const keysOf = (analysis: Analysis, facts: EventFacts): number[] =>
  analysis.signatures?.keys ?? sketchKeys(facts.signature);

export class EventIndex {
  private readonly days: EventDays;
  private readonly recent: RecentKeys;

  constructor(
    private readonly sql: Sql,
    recentStories?: number,
  ) {
    this.days = new EventDays(sql);
    this.recent = new RecentKeys(sql, recentStories);
  }

  /**
   * Decides the event of a new article before its story is stored (inside the save transaction): a near-copy
   * of any recent story, else the recent event whose first story it reports in other words, best score first;
   * none, and the story will open its own.
   */
  decide(facts: EventFacts, keys: number[] = sketchKeys(facts.signature)): EventDecision {
    const day = dayOf(facts.date);
    const best = this.bestCopy(facts, day, keys) ?? this.bestReport(facts, day);
    if (!best) return { facts, day, keys };
    const { result } = best;
    const merged = { with: best.id, score: Math.round(result.score * 1000) / 1000, reasons: result.reasons };
    return { facts, day, keys, eventRowid: best.eventRowid, merged, leadTags: best.leadTags };
  }

  /** The story `rowid` was stored with `decision`: it joins the index; returns its event. */
  record(rowid: number, id: string, decision: EventDecision): EventChoice {
    const lead = decision.eventRowid === undefined;
    this.days.add(rowid, id, decision.day, decision.facts, decision.keys, lead);
    this.recent.add(rowid, decision.keys);
    return { rowid: decision.eventRowid ?? rowid, lead };
  }

  /** A revision's new text and tags are indexed too; the story stays in its event, which is returned. */
  revise(rowid: number, id: string, facts: EventFacts): { event: EventChoice; keys: number[] } {
    const event = this.eventOf(rowid);
    const keys = sketchKeys(facts.signature);
    this.days.add(rowid, id, dayOf(facts.date), facts, keys, event === rowid);
    this.recent.add(rowid, keys);
    return { event: { rowid: event, lead: event === rowid }, keys };
  }

  /** The event a stored story belongs to: the rowid of its first story (its own for a first story). */
  eventOf(rowid: number): number {
    const row = this.sql("SELECT event_rowid FROM stories WHERE rowid = ?").pluck().get(rowid) as
      | number
      | null
      | undefined;
    return row ?? rowid;
  }

  /**
   * The closest near-copy among the stories sharing sketch keys, dated within COPY_DAYS or among the last stored
   * (recent-keys.ts: a copy's date may be an estimate or far from its original's): copies join any story's event.
   */
  private bestCopy(facts: EventFacts, day: number, keys: number[]): Match | undefined {
    // A copy shares several keys (6 of 10 at 60% of text shared, more above); a text that shares a stock
    // phrase or an outlet's footer, one or two. A key held by many recent stories is such boilerplate.
    const shared = this.days.sharing(keys, day - COPY_DAYS, day + COPY_DAYS, STOP_KEY);
    for (const [id, n] of this.recent.sharing(keys, STOP_KEY))
      shared.set(id, Math.max(n, shared.get(id) ?? 0));
    const ids = [...shared]
      .filter(([, n]) => n >= MIN_SHARED)
      .sort((a, b) => b[1] - a[1] || b[0] - a[0])
      .slice(0, MAX_COPIES)
      .map(([id]) => id);
    // A near-copy's decision needs no tags but the event's first story's (it is shown under the tags they lack).
    const load = this.sql(
      `SELECT s.id, coalesce(s.event_rowid, s.rowid) AS event, coalesce(l.tags_json, s.tags_json) AS lead_tags,
         s.signature FROM stories s LEFT JOIN stories l ON l.rowid = s.event_rowid
       WHERE s.rowid = ? AND s.signature IS NOT NULL`,
    );
    let best: (CopyRow & { sim: number }) | undefined;
    for (const rowid of ids) {
      const row = load.get(rowid) as CopyRow | undefined;
      if (!row) continue;
      const sim = estimateJaccard(facts.signature, fromBytes(row.signature));
      if (sim >= NEAR_COPY && (!best || sim > best.sim)) best = { ...row, sim };
    }
    if (!best) return undefined;
    const leadTags = tagFacts(JSON.parse(best.lead_tags) as StoredTags);
    return { eventRowid: best.event, id: best.id, result: nearCopy(best.sim), leadTags };
  }

  /**
   * A report in other words is judged against the first story of each recent event it could join (event-days.ts
   * lookupTags: one sharing an actor, or blamed on the same country and naming none), never against the event's
   * later stories: an event cannot creep, story by story, into a neighbouring one, and it ends MAX_DAYS after its
   * first report.
   */
  private bestReport(facts: EventFacts, day: number): Match | undefined {
    const leads = this.days.leads(lookupTags(facts), day - MAX_DAYS, day + MAX_DAYS, MAX_EVENTS);
    const judged: Array<{ lead: Lead; score: number }> = [];
    for (const lead of leads) {
      const { same, score } = sameEventScore(facts, lead.facts);
      if (same) judged.push({ lead, score });
    }
    judged.sort((a, b) => b.score - a.score);
    // The index may hold a first story whose save rolled back: the database has the last word.
    const exists = this.sql(
      "SELECT 1 FROM stories WHERE rowid = ? AND id = ? AND event_rowid IS NULL",
    ).pluck();
    const found = judged.find((j) => exists.get(j.lead.rowid, j.lead.id) !== undefined);
    // Its reasons are written out for the one that is chosen only.
    if (!found) return undefined;
    const { rowid, id, facts: lead } = found.lead;
    return { eventRowid: rowid, id, result: sameEvent(facts, lead), leadTags: lead };
  }
}

interface CopyRow {
  id: string;
  event: number;
  /** The tags_json of the event's first story. */
  lead_tags: string;
  signature: Uint8Array;
}
