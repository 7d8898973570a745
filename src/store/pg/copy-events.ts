// The index of events for the stories `cyberbrief copy` moves: SQLite keeps it in memory, built from each
// story's stored columns (sqlite/event-days.ts, recent-keys.ts); PostgreSQL reads it from `story_keys` and
// `event_leads` (pg/events.ts). Without these rows a story saved after the move would never join a copied one's
// event. They are written as the copied stories' saves would have written them on PostgreSQL (event-index.ts,
// the same writer and rule), streamed from the source a batch at a time, and verified against the rows the
// source derives.

import type Database from "better-sqlite3";
import { batches, type Copier } from "./copy-rows.js";
import { type IndexEntry, type IndexedColumns, indexRows, storedEntry, writeIndex } from "./event-index.js";
import type { Tx } from "./open.js";

/** Stories per batch: about ten keys each, sent as three arrays per statement (no parameter limit applies). */
const BATCH = 1000;

/** Every story's stored index columns, in rowid order. */
const STORED = `SELECT rowid, date, event_rowid, tags_json, sketch FROM stories WHERE sketch IS NOT NULL
  ORDER BY rowid`;

/** The index entries of the source's stories, read with an iterator (never every story in memory). */
function* storedEntries(src: Database.Database): Generator<IndexEntry> {
  for (const row of src.prepare(STORED).iterate() as Iterable<IndexedColumns>) {
    const entry = storedEntry(row);
    if (entry) yield entry;
  }
}

/** Writes the index rows of every copied story; returns the rows written per table. */
async function fillIndex(src: Database.Database, tx: Tx): Promise<Record<string, number>> {
  let keys = 0;
  let leads = 0;
  for (const batch of batches(storedEntries(src), BATCH)) {
    const wrote = await writeIndex(tx, batch);
    keys += wrote.keys;
    leads += wrote.leads;
  }
  return { story_keys: keys, event_leads: leads };
}

/** How many rows of one table the source's stories make, counted in a pass of their own over the source. */
function derivedRows(src: Database.Database, table: "keys" | "leads"): number {
  let n = 0;
  for (const batch of batches(storedEntries(src), BATCH)) n += indexRows(batch)[table][0].length;
  return n;
}

export const eventsCopier: Copier = {
  family: "events",
  moves: [],
  derived: ["story_keys", "event_leads"],
  fill: fillIndex,
  checks: [
    {
      label: "story_keys",
      sqlite: (src) => derivedRows(src, "keys"),
      pg: "SELECT count(*) AS n FROM story_keys",
    },
    {
      // Every story with sketch keys has rows, and only those: read by SQL alone on each side.
      label: "story_keys (stories)",
      sqlite: "SELECT count(*) AS n FROM stories WHERE length(sketch) > 0",
      pg: "SELECT count(DISTINCT story_rowid) AS n FROM story_keys",
    },
    {
      label: "event_leads",
      sqlite: (src) => derivedRows(src, "leads"),
      pg: "SELECT count(*) AS n FROM event_leads",
    },
  ],
  sequences: [],
};
