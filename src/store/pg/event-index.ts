// The rows PostgreSQL's event decisions read (events.ts, migration 4): a story's sketch keys on its day and, for
// an event's first story, the tags later reports look it up by. Saves write them one story at a time as they
// decide; `cyberbrief copy` writes them for the stories it moves, read back from the columns those saves stored
// (eventColumns: the sketch keys; tags_json: the first story's tags). One writer and one rule serve both.

import type { EventFacts } from "../../analysis/same-event.js";
import { fromBytes } from "../../analysis/shingles.js";
import { dayOf, leadTags, type StoredTags, tagFacts } from "../event-rule.js";
import type { Tx } from "./open.js";

/** One story's entry in the index: its keys on its day, and its event's lookup tags when it opens the event. */
export interface IndexEntry {
  rowid: number;
  day: number;
  keys: readonly number[];
  /** event-rule.ts leadTags of its facts when it is its event's first story, else none. */
  tags: readonly string[];
}

/** The entry of a story being saved (or revised) with `facts` and `keys`; `lead` when it opens its event. */
export const entryOf = (
  rowid: number,
  day: number,
  keys: readonly number[],
  facts: Pick<EventFacts, "actors" | "countries">,
  lead: boolean,
): IndexEntry => ({ rowid, day, keys, tags: lead ? leadTags(facts) : [] });

/** The story columns a stored entry is read back from. */
export interface IndexedColumns {
  rowid: number;
  date: string;
  event_rowid: number | null;
  tags_json: string;
  sketch: Uint8Array | null;
}

/**
 * The entry a stored story's last save wrote: its sketch keys (the column eventColumns stored them in) on the
 * day of its date, and when it is its event's first story, the lookup tags of its stored tags. A story stored
 * before events were indexed has no sketch: as in SQLite's index, it has no entry and is never merged with.
 */
export function storedEntry(row: IndexedColumns): IndexEntry | undefined {
  if (row.sketch === null) return undefined;
  const keys = [...fromBytes(row.sketch)];
  // Only an event's first story is looked up by its tags: a later story's are not read.
  if (row.event_rowid !== null) return { rowid: row.rowid, day: dayOf(row.date), keys, tags: [] };
  const facts = tagFacts(JSON.parse(row.tags_json) as StoredTags);
  return entryOf(row.rowid, dayOf(row.date), keys, facts, true);
}

/** The rows of `entries` as each table holds them (duplicates dropped, as the tables' keys would). */
export function indexRows(entries: readonly IndexEntry[]): {
  keys: [number[], number[], number[]];
  leads: [string[], number[], number[]];
} {
  const keys: [number[], number[], number[]] = [[], [], []];
  const leads: [string[], number[], number[]] = [[], [], []];
  for (const e of entries) {
    for (const key of new Set(e.keys)) {
      keys[0].push(key);
      keys[1].push(e.day);
      keys[2].push(e.rowid);
    }
    for (const tag of new Set(e.tags)) {
      leads[0].push(tag);
      leads[1].push(e.day);
      leads[2].push(e.rowid);
    }
  }
  return { keys, leads };
}

/** Writes the entries' rows: one statement per table, whatever their number. Returns the rows of each. */
export async function writeIndex(
  tx: Tx,
  entries: readonly IndexEntry[],
): Promise<{ keys: number; leads: number }> {
  const { keys, leads } = indexRows(entries);
  if (keys[0].length > 0)
    await tx.query(
      `INSERT INTO story_keys (key, day, story_rowid)
       SELECT * FROM unnest($1::bigint[], $2::int[], $3::int[]) ON CONFLICT DO NOTHING`,
      keys,
    );
  if (leads[0].length > 0)
    await tx.query(
      `INSERT INTO event_leads (tag, day, story_rowid)
       SELECT * FROM unnest($1::text[], $2::int[], $3::int[]) ON CONFLICT DO NOTHING`,
      leads,
    );
  return { keys: keys[0].length, leads: leads[0].length };
}
