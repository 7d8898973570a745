// Which event a new story reports, on PostgreSQL: the candidates come from two tables instead of SQLite's
// in-memory index (every replica then sees every story stored by any of them), and are judged by the rule both
// stores share (store/event-rule.ts). Saves hold SAVE_LOCK, so a decision sees every earlier save.

import type { EventFacts } from "../../analysis/same-event.js";
import { MAX_DAYS } from "../../analysis/same-event.js";
import { fromBytes } from "../../analysis/shingles.js";
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
  type Lead,
  lookupTags,
  MAX_EVENTS,
  type Match,
  RECENT_STORIES,
  reportMatch,
  STOP_KEY,
  type StoredTags,
  tagFacts,
} from "../event-rule.js";
import { entryOf, writeIndex } from "./event-index.js";
import type { Tx } from "./open.js";

/**
 * Migration 4. Each story's sketch keys by its date's day (near-copies: a key's holders within a window, or among
 * the last stored stories, in one probe each), and each event's first story by the tags a later report looks it
 * up by (event-rule.ts leadTags). Stories stored before it have no rows: they are never merged with.
 */
export const EVENTS_SCHEMA = `
CREATE TABLE story_keys (
  key bigint NOT NULL,
  day integer NOT NULL,
  story_rowid integer NOT NULL REFERENCES stories(rowid) ON DELETE CASCADE,
  PRIMARY KEY (key, day, story_rowid)
);
CREATE INDEX story_keys_recent ON story_keys(key, story_rowid);
CREATE INDEX story_keys_by_story ON story_keys(story_rowid);
CREATE TABLE event_leads (
  tag text NOT NULL,
  day integer NOT NULL,
  story_rowid integer NOT NULL REFERENCES stories(rowid) ON DELETE CASCADE,
  PRIMARY KEY (tag, day, story_rowid)
);
CREATE INDEX event_leads_by_story ON event_leads(story_rowid);
`;

/** Per story, how many of the keys it shares within the date window ('d') and among the recent stories ('r'). */
const SHARING = `WITH dated AS (
    SELECT key, story_rowid FROM story_keys WHERE key = ANY($1::bigint[]) AND day BETWEEN $2 AND $3),
  recent AS (
    SELECT key, story_rowid FROM story_keys
    WHERE key = ANY($1::bigint[]) AND story_rowid > (SELECT coalesce(max(rowid), 0) FROM stories) - $4),
  dated_kept AS (SELECT key FROM dated GROUP BY key HAVING count(*) <= $5),
  recent_kept AS (SELECT key FROM recent GROUP BY key HAVING count(*) <= $5)
  SELECT 'd' AS src, story_rowid AS rowid, count(*)::int AS n FROM dated JOIN dated_kept USING (key)
    GROUP BY story_rowid
  UNION ALL
  SELECT 'r', story_rowid, count(*)::int FROM recent JOIN recent_kept USING (key) GROUP BY story_rowid`;

const COPIES = `SELECT s.rowid, s.id, coalesce(s.event_rowid, s.rowid) AS event,
    coalesce(l.tags_json, s.tags_json) AS lead_tags, s.signature
  FROM stories s LEFT JOIN stories l ON l.rowid = s.event_rowid
  WHERE s.rowid = ANY($1::int[]) AND s.signature IS NOT NULL`;

/** Events opened within the window by a story with one of the tags, newest day first, then by tag order. */
const LEADS = `SELECT s.rowid, s.id, e.day, s.date, s.tags_json, s.signature, s.topic FROM event_leads e
  JOIN stories s ON s.rowid = e.story_rowid
  WHERE e.tag = ANY($1::text[]) AND e.day BETWEEN $2 AND $3 AND s.event_rowid IS NULL
    AND s.signature IS NOT NULL AND s.topic IS NOT NULL
  ORDER BY e.day DESC, array_position($1::text[], e.tag), e.story_rowid LIMIT $4`;

interface LeadRow {
  rowid: number;
  id: string;
  day: number;
  date: string;
  tags_json: string;
  signature: Uint8Array;
  topic: Uint8Array;
}

export class PgEvents {
  constructor(
    /** How many of the last stored stories copies are looked for among, whatever their dates. */
    private readonly recentStories = RECENT_STORIES,
  ) {}

  /** The event of a new article, decided before its story is stored (inside the save transaction). */
  async decide(tx: Tx, facts: EventFacts, keys: number[]): Promise<EventDecision> {
    const day = dayOf(facts.date);
    const best = (await this.bestCopy(tx, facts, day, keys)) ?? (await this.bestReport(tx, facts, day));
    return decisionOf(facts, day, keys, best);
  }

  /** The story `rowid` was stored with `decision`: its keys (and tags, when it opens its event) are indexed. */
  async record(tx: Tx, rowid: number, decision: EventDecision): Promise<EventChoice> {
    const lead = decision.eventRowid === undefined;
    await writeIndex(tx, [entryOf(rowid, decision.day, decision.keys, decision.facts, lead)]);
    return { rowid: decision.eventRowid ?? rowid, lead };
  }

  /** A revision's new text and tags replace its index rows; the story stays in its event, which is returned. */
  async revise(tx: Tx, rowid: number, facts: EventFacts, keys: number[]): Promise<EventChoice> {
    const found = await tx.query<{ event: number }>(
      "SELECT coalesce(event_rowid, rowid) AS event FROM stories WHERE rowid = $1",
      [rowid],
    );
    const event = found.rows[0]?.event ?? rowid;
    const lead = event === rowid;
    await tx.query("DELETE FROM story_keys WHERE story_rowid = $1", [rowid]);
    await tx.query("DELETE FROM event_leads WHERE story_rowid = $1", [rowid]);
    await writeIndex(tx, [entryOf(rowid, dayOf(facts.date), keys, facts, lead)]);
    return { rowid: event, lead };
  }

  /** The closest near-copy among the stories sharing sketch keys, dated within COPY_DAYS or among the last stored. */
  private async bestCopy(tx: Tx, facts: EventFacts, day: number, keys: number[]): Promise<Match | undefined> {
    if (keys.length === 0) return undefined;
    const shared = await tx.query<{ src: "d" | "r"; rowid: number; n: number }>(SHARING, [
      keys,
      day - COPY_DAYS,
      day + COPY_DAYS,
      this.recentStories,
      STOP_KEY,
    ]);
    const byDate = new Map<number, number>();
    const recent = new Map<number, number>();
    for (const r of shared.rows) (r.src === "d" ? byDate : recent).set(r.rowid, r.n);
    const ids = copyCandidates(byDate, recent);
    if (ids.length === 0) return undefined;
    const rows = await tx.query<CopyRow & { rowid: number }>(COPIES, [ids]);
    const byRowid = new Map(rows.rows.map((r) => [r.rowid, r]));
    const ordered = ids.map((id) => byRowid.get(id)).filter((r) => r !== undefined);
    return closestCopy(facts, ordered);
  }

  /** A report in other words, judged against the first story of each recent event it could join. */
  private async bestReport(tx: Tx, facts: EventFacts, day: number): Promise<Match | undefined> {
    const tags = lookupTags(facts);
    if (tags.length === 0) return undefined;
    const found = await tx.query<LeadRow>(LEADS, [
      tags,
      day - MAX_DAYS,
      day + MAX_DAYS,
      MAX_EVENTS * tags.length,
    ]);
    const leads = new Map<number, Lead>();
    for (const r of found.rows) {
      if (leads.size >= MAX_EVENTS) break;
      if (leads.has(r.rowid)) continue;
      const stored = tagFacts(JSON.parse(r.tags_json) as StoredTags);
      const leadFacts = {
        date: r.date,
        signature: fromBytes(r.signature),
        topic: fromBytes(r.topic),
        ...stored,
      };
      leads.set(r.rowid, { rowid: r.rowid, id: r.id, day: r.day, facts: leadFacts });
    }
    const [best] = judgeLeads(facts, [...leads.values()]);
    return best && reportMatch(facts, best);
  }
}
