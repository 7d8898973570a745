// The index behind event decisions, in memory by day: each story's sketch keys and each event's first story by
// actor and blamed country. A day is loaded from the stories table when first needed; least used days are let go.

import type Database from "better-sqlite3";
import type { EventFacts } from "../../analysis/same-event.js";
import { fromBytes } from "../../analysis/shingles.js";
import { type Lead, leadTags, type StoredTags, tagFacts } from "../event-rule.js";

export { type Lead, leadTags, lookupTags, type StoredTags, tagFacts } from "../event-rule.js";

type Sql = (text: string) => Database.Statement;

interface Day {
  /** When it was last used (a counter): the least recently used day is let go first. */
  used: number;
  /** Stories (and revisions) indexed for this day. */
  stories: number;
  /** Sketch key → the stories of this day that have it. */
  keys: Map<number, number[]>;
  /** "actor:APT40" or "sponsor:CN" → the events opened this day by a story with that tag. */
  leads: Map<string, Lead[]>;
}

interface FactsRow {
  rowid: number;
  id: string;
  date: string;
  lead: number;
  tags_json: string;
  sketch: Uint8Array;
  /** Kept for an event's first story only. */
  signature: Uint8Array | null;
  topic: Uint8Array | null;
}

/**
 * Days are loaded whole, so the index of a day holds every story stored for it, whichever process stored it
 * before the load. What it holds may be stale (a save rolled back, a story revised): every candidate it gives is
 * checked against the database before a merge, so a stale entry costs a look, never a wrong merge.
 */
export class EventDays {
  private readonly days = new Map<number, Day>();
  private uses = 0;
  /** Stories held over all loaded days. */
  private held = 0;
  /** Sketch key → how many stories hold it over all loaded days: most keys of a new text are held by none. */
  private readonly keyCount = new Map<number, number>();

  constructor(
    private readonly sql: Sql,
    /**
     * Stories held in memory at most (about 40 MB): past it, the least used days are let go and read again
     * when needed. A year of a busy desk's news fits, so an ingest in date order never reads a day twice.
     */
    private readonly maxStories = 50_000,
  ) {}

  /** Days in memory. */
  get size(): number {
    return this.days.size;
  }

  /** Stories sharing the keys within [from, to], with how many they share; keys held by more than `stop` skipped. */
  sharing(keys: readonly number[], from: number, to: number, stop: number): Map<number, number> {
    const days: Day[] = [];
    for (let d = from; d <= to; d++) {
      const day = this.day(d);
      if (day.keys.size > 0) days.push(day);
    }
    const shared = new Map<number, number>();
    for (const key of keys) {
      // Every day of the window is loaded now, so a key no loaded story holds needs no look per day.
      if (!this.keyCount.has(key)) continue;
      const ids: number[] = [];
      for (const day of days) {
        const held = day.keys.get(key);
        if (held === undefined) continue;
        // Held by more than `stop` stories: boilerplate, not followed.
        if (ids.length + held.length > stop) {
          ids.length = 0;
          break;
        }
        ids.push(...held);
      }
      for (const id of ids) shared.set(id, (shared.get(id) ?? 0) + 1);
    }
    return shared;
  }

  /** The events opened within [from, to] by a story sharing one of `tags`, newest first, at most `max`. */
  leads(tags: readonly string[], from: number, to: number, max: number): Lead[] {
    const found = new Map<number, Lead>();
    for (let d = to; d >= from && found.size < max; d--) {
      const day = this.day(d);
      for (const tag of tags) for (const lead of day.leads.get(tag) ?? []) found.set(lead.rowid, lead);
    }
    return [...found.values()].slice(0, max);
  }

  /** A story just stored (or revised): its keys, and when it opens its event, its tags. */
  add(
    rowid: number,
    id: string,
    day: number,
    facts: EventFacts,
    keys: readonly number[],
    lead: boolean,
  ): void {
    const d = this.day(day);
    d.stories += 1;
    this.held += 1;
    for (const key of keys) this.hold(d, key, rowid);
    if (lead) for (const tag of leadTags(facts)) push(d.leads, tag, { rowid, id, day, facts });
  }

  private day(n: number): Day {
    const found = this.days.get(n);
    if (found) {
      found.used = ++this.uses;
      return found;
    }
    const day = this.load(n);
    day.used = ++this.uses;
    this.days.set(n, day);
    this.held += day.stories;
    if (this.held > this.maxStories) this.forgetLeastUsed(n);
    return day;
  }

  /** Lets the least recently used days go (never `keep`, just loaded) until a tenth of the room is free. */
  private forgetLeastUsed(keep: number): void {
    const order = [...this.days].sort((a, b) => a[1].used - b[1].used);
    for (const [n, day] of order) {
      if (this.held <= this.maxStories * 0.9) return;
      if (n === keep) continue;
      this.days.delete(n);
      this.held -= day.stories;
      for (const [key, ids] of day.keys) {
        const left = (this.keyCount.get(key) ?? 0) - ids.length;
        if (left > 0) this.keyCount.set(key, left);
        else this.keyCount.delete(key);
      }
    }
  }

  /** Story `rowid` of `day` has sketch key `key`. */
  private hold(day: Day, key: number, rowid: number): void {
    push(day.keys, key, rowid);
    this.keyCount.set(key, (this.keyCount.get(key) ?? 0) + 1);
  }

  private load(n: number): Day {
    const day: Day = { used: 0, stories: 0, keys: new Map(), leads: new Map() };
    const rows = this.sql(
      `SELECT rowid, id, date, event_rowid IS NULL AS lead, tags_json, sketch, signature, topic FROM stories
       WHERE date = ? AND sketch IS NOT NULL`,
    ).all(isoDay(n)) as FactsRow[];
    day.stories = rows.length;
    for (const r of rows) {
      for (const key of fromBytes(r.sketch)) this.hold(day, key, r.rowid);
      if (r.lead !== 1 || r.signature === null || r.topic === null) continue;
      const tags = tagFacts(JSON.parse(r.tags_json) as StoredTags);
      const facts: EventFacts = {
        date: r.date,
        signature: fromBytes(r.signature),
        topic: fromBytes(r.topic),
        ...tags,
      };
      for (const tag of leadTags(facts)) push(day.leads, tag, { rowid: r.rowid, id: r.id, day: n, facts });
    }
    return day;
  }
}

/** The YYYY-MM-DD date of a day number (days since 1970): stories_by_date finds a day's stories. */
const isoDay = (day: number): string => new Date(day * 86_400_000).toISOString().slice(0, 10);

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
