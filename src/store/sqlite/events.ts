// Which event a new story reports: candidates from a recent window through the in-memory index (the sketch keys
// of its text, and its actors and blamed countries), judged by analysis/same-event.ts; the facts kept for later.

import type Database from "better-sqlite3";
import type { EventFacts } from "../../analysis/same-event.js";
import { MAX_DAYS } from "../../analysis/same-event.js";
import { sketchKeys } from "../../analysis/shingles.js";
import {
  COPY_DAYS,
  type CopyRow,
  closestCopy,
  copyCandidates,
  dayOf,
  decisionOf,
  type EventChoice,
  type EventDecision,
  judgeLeads,
  MAX_EVENTS,
  type Match,
  reportMatch,
  STOP_KEY,
} from "../event-rule.js";
import { EventDays, lookupTags } from "./event-days.js";
import { RecentKeys } from "./recent-keys.js";

export {
  COPY_DAYS,
  dayOf,
  type EventChoice,
  type EventDecision,
  eventColumns,
  keysOf,
  type LeadTags,
  MIN_SHARED,
} from "../event-rule.js";

type Sql = (text: string) => Database.Statement;

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
    return decisionOf(facts, day, keys, this.bestCopy(facts, day, keys) ?? this.bestReport(facts, day));
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
    const byDate = this.days.sharing(keys, day - COPY_DAYS, day + COPY_DAYS, STOP_KEY);
    const ids = copyCandidates(byDate, this.recent.sharing(keys, STOP_KEY));
    // A near-copy's decision needs no tags but the event's first story's (it is shown under the tags they lack).
    const load = this.sql(
      `SELECT s.id, coalesce(s.event_rowid, s.rowid) AS event, coalesce(l.tags_json, s.tags_json) AS lead_tags,
         s.signature FROM stories s LEFT JOIN stories l ON l.rowid = s.event_rowid
       WHERE s.rowid = ? AND s.signature IS NOT NULL`,
    );
    const rows = ids.map((rowid) => load.get(rowid) as CopyRow | undefined).filter((r) => r !== undefined);
    return closestCopy(facts, rows);
  }

  /**
   * A report in other words is judged against the first story of each recent event it could join (event-days.ts
   * lookupTags: one sharing an actor, or blamed on the same country and naming none), never against the event's
   * later stories: an event cannot creep, story by story, into a neighbouring one, and it ends MAX_DAYS after its
   * first report.
   */
  private bestReport(facts: EventFacts, day: number): Match | undefined {
    const leads = this.days.leads(lookupTags(facts), day - MAX_DAYS, day + MAX_DAYS, MAX_EVENTS);
    const judged = judgeLeads(facts, leads);
    // The index may hold a first story whose save rolled back: the database has the last word.
    const exists = this.sql(
      "SELECT 1 FROM stories WHERE rowid = ? AND id = ? AND event_rowid IS NULL",
    ).pluck();
    const found = judged.find((lead) => exists.get(lead.rowid, lead.id) !== undefined);
    return found && reportMatch(facts, found);
  }
}
