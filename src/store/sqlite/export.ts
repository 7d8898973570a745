// `cyberbrief export`'s rows: every event, oldest first, streamed from one read of the database.

import type Database from "better-sqlite3";
import { CyberbriefError, errorMessage } from "../../core/errors.js";
import type { ExportedEvent, ExportQuery } from "../types.js";
import type { StoredTagsJson, StoryRow } from "./rows.js";

const EXPORT_COLUMNS = `s.id, s.path, s.revision, s.date, s.date_estimated, s.title, s.summary, s.url, s.source,
  s.tags_json, s.ingested_at, s.updated_at, s.cyber`;

/**
 * The first story of each event, by date: `--since` picks events by it, so an event is never cut in two.
 * `stories_leads_by_date` serves both the range and the order: SQLite sorts nothing and holds no result set.
 */
export const EXPORT_SQL = `SELECT s.rowid AS event_key, ${EXPORT_COLUMNS} FROM stories s
  WHERE s.date >= ? AND s.event_rowid IS NULL ORDER BY s.date, s.rowid`;

/** The later stories of one event, in the order they were stored (`stories_by_event`). */
export const FOLLOWERS_SQL = `SELECT s.event_rowid AS event_key, ${EXPORT_COLUMNS} FROM stories s
  WHERE s.event_rowid = ? ORDER BY s.rowid`;

/** A story row as `EXPORT_SQL` selects it: the list columns, the event it belongs to and its cyber flag. */
export interface ExportRow extends Omit<StoryRow, "rowid" | "content_hash" | "body"> {
  event_key: number;
  cyber: number;
}

type Tags = StoredTagsJson;

function startEvent(row: ExportRow, tags: Tags): ExportedEvent {
  return {
    id: row.id,
    title: row.title,
    date: row.date,
    dateEstimated: row.date_estimated === 1,
    summary: row.summary,
    revision: row.revision,
    ingestedAt: row.ingested_at,
    updatedAt: row.updated_at,
    cyber: row.cyber === 1,
    sources: [],
    actors: [...(tags.actors ?? [])],
    countries: [...(tags.countries ?? [])],
    sectors: [...(tags.sectors ?? [])],
    malware: [...(tags.malware ?? [])],
    cves: [...(tags.cves ?? [])],
  };
}

/** A later story's tags join the event's: tags it already has keep the first story's evidence. */
function addTags(event: ExportedEvent, tags: Tags): void {
  const actors = new Set(event.actors.map((a) => a.id));
  for (const a of tags.actors ?? []) if (!actors.has(a.id)) event.actors.push(a);
  const countries = new Set(event.countries.map((c) => c.code));
  for (const c of tags.countries ?? []) if (!countries.has(c.code)) event.countries.push(c);
  const sectors = new Set(event.sectors.map((t) => t.id));
  for (const t of tags.sectors ?? []) if (!sectors.has(t.id)) event.sectors.push(t);
  const malware = new Set(event.malware.map((t) => t.id));
  for (const t of tags.malware ?? []) if (!malware.has(t.id)) event.malware.push(t);
  for (const id of tags.cves ?? []) if (!event.cves.includes(id)) event.cves.push(id);
}

/**
 * Consecutive rows with the same `event_key` become one event: the first row gives its headline fields, every
 * row one source. Holds one event at a time.
 */
export function* groupEvents(rows: Iterable<ExportRow>): Generator<ExportedEvent> {
  let key: number | undefined;
  let event: ExportedEvent | undefined;
  for (const row of rows) {
    const tags = JSON.parse(row.tags_json) as Tags;
    if (event && row.event_key === key) {
      addTags(event, tags);
      event.cyber ||= row.cyber === 1;
    } else {
      if (event) yield event;
      key = row.event_key;
      event = startEvent(row, tags);
    }
    event.sources.push({ path: row.path, url: row.url, source: row.source, date: row.date });
  }
  if (event) yield event;
}

/** A read-only open does not migrate: an SQLite file without our tables is named, not a crash. */
function prepare(db: Database.Database, sql: string): Database.Statement {
  try {
    return db.prepare(sql);
  } catch (err) {
    if (!/no such (table|column)/.test(errorMessage(err))) throw err;
    throw new CyberbriefError(
      "store/no-stories",
      `${db.name} holds no cyberbrief stories (${errorMessage(err)}); point --db or CYBERBRIEF_DB at the bot's database, or run \`cyberbrief ingest\` on it first`,
      { cause: err },
    );
  }
}

/** The events for `query`, streamed (better-sqlite3's `iterate`); breaking out of the loop releases the query. */
export async function* exportEvents(
  db: Database.Database,
  query: ExportQuery = {},
): AsyncGenerator<ExportedEvent> {
  const leads = prepare(db, EXPORT_SQL).iterate(query.since ?? "") as IterableIterator<ExportRow>;
  const followers = prepare(db, FOLLOWERS_SQL);
  yield* groupEvents(withFollowers(leads, (key) => followers.all(key) as ExportRow[]));
}

/** Each event's first story, then its later ones (read while the first query is open: reads may interleave). */
function* withFollowers(
  leads: Iterable<ExportRow>,
  later: (key: number) => ExportRow[],
): Generator<ExportRow> {
  for (const lead of leads) {
    yield lead;
    yield* later(lead.event_key);
  }
}
