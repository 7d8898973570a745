// `cyberbrief export`'s events and `/cyber why`'s reasons on PostgreSQL, with the SQLite store's meaning
// (store/sqlite/export.ts, why.ts): events oldest first, each with its sources; a story's cyber signal, sources
// and outbox rows in a channel.

import type pg from "pg";
import type { StoryDelivery } from "../outbox.js";
import { type ExportRow, groupEvents } from "../sqlite/export.js";
import type {
  EventSource,
  ExportedEvent,
  ExportQuery,
  StoryReasons,
  StoryRecord,
  StorySource,
} from "../types.js";
import type { Tx } from "./open.js";

const EXPORT_COLUMNS = `s.id, s.path, s.revision, s.date, s.date_estimated, s.title, s.summary, s.url, s.source,
  s.tags_json, s.ingested_at, s.updated_at, s.cyber`;

/** First stories read per query: export holds one page of events at a time, not the whole store. */
const PAGE = 500;

/**
 * Every event from `query.since` on, oldest first, read in pages (keyset on date and rowid) inside one
 * read-only REPEATABLE READ transaction: one snapshot, as SQLite's single read gives. Stopping early (`break`)
 * ends the transaction and gives the connection back.
 */
export async function* exportEventsPg(pool: pg.Pool, query: ExportQuery = {}): AsyncGenerator<ExportedEvent> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    let after: { date: string; rowid: number } | null = null;
    for (;;) {
      const leads: pg.QueryResult<ExportRow & { rowid: number }> = await client.query(
        `SELECT s.rowid, s.rowid AS event_key, ${EXPORT_COLUMNS} FROM stories s
         WHERE s.date >= $1 AND s.event_rowid IS NULL AND ($2::text IS NULL OR (s.date, s.rowid) > ($2, $3))
         ORDER BY s.date, s.rowid LIMIT ${PAGE}`,
        [query.since ?? "", after?.date ?? null, after?.rowid ?? 0],
      );
      if (leads.rows.length === 0) break;
      const later = await client.query<ExportRow>(
        `SELECT s.event_rowid AS event_key, ${EXPORT_COLUMNS} FROM stories s
         WHERE s.event_rowid = ANY($1::int[]) ORDER BY s.event_rowid, s.rowid`,
        [leads.rows.map((r) => r.rowid)],
      );
      const byEvent = new Map<number, ExportRow[]>();
      for (const row of later.rows) byEvent.set(row.event_key, [...(byEvent.get(row.event_key) ?? []), row]);
      const rows = leads.rows.flatMap((lead) => [lead, ...(byEvent.get(lead.event_key) ?? [])]);
      yield* groupEvents(rows);
      const last = leads.rows[leads.rows.length - 1] as ExportRow & { rowid: number };
      after = { date: last.date, rowid: last.rowid };
      if (leads.rows.length < PAGE) break;
    }
    await client.query("COMMIT");
  } finally {
    // A loop that stopped early leaves the transaction open: end it before the connection goes back.
    await client.query("ROLLBACK").catch(() => {});
    client.release();
  }
}

/** The story's cyber signal and its event's sources, first story first, later ones with why they joined. */
export async function storyReasonsPg(db: Tx, story: StoryRecord): Promise<StoryReasons> {
  const found = await db.query<{ rowid: number; cyber: number; tags: string; event: number }>(
    "SELECT rowid, cyber, tags_json AS tags, coalesce(event_rowid, rowid) AS event FROM stories WHERE id = $1",
    [story.id],
  );
  const row = found.rows[0];
  const tags = JSON.parse(row?.tags ?? "{}") as { cyber?: string[] };
  const members = row
    ? (
        await db.query<EventSource & { id: string; merged: string | null }>(
          `SELECT id, path, url, source, date, merged_json AS merged FROM stories
           WHERE rowid = $1 OR event_rowid = $1 ORDER BY rowid`,
          [row.event],
        )
      ).rows
    : [];
  const sources: StorySource[] = members.map(({ id, merged, ...source }) => {
    if (!merged) return source;
    const m = JSON.parse(merged) as { with: string; score: number; reasons: string[] };
    return { ...source, why: [`with ${m.with}`, ...m.reasons] };
  });
  return {
    story,
    cyber: (row?.cyber ?? 1) === 1,
    cyberWords: Array.isArray(tags.cyber) ? tags.cyber : null,
    sources:
      sources.length > 0
        ? sources
        : [{ path: story.path, url: story.url, source: story.source, date: story.date }],
  };
}

const DELIVERY_COLUMNS = `d.kind, d.status, d.tags, d.attempts, d.created_at AS "createdAt", d.sent_at AS "sentAt",
  d.next_attempt_at AS "nextAttemptAt", d.last_error AS "lastError"`;

/**
 * The story's alert and edits in the channel, then the digests that list its event (their payload's mode and
 * period label), oldest first, as sqlite/why.ts reads them.
 */
export async function deliveriesOfPg(db: Tx, storyId: string, channelRef: string): Promise<StoryDelivery[]> {
  const own = await db.query<StoryDelivery>(
    `SELECT ${DELIVERY_COLUMNS} FROM deliveries d JOIN stories s ON s.rowid = d.story_rowid
     WHERE s.id = $1 AND d.channel_ref = $2 AND d.kind <> 'digest' ORDER BY d.id`,
    [storyId, channelRef],
  );
  const digests = await db.query<StoryDelivery>(
    `SELECT ${DELIVERY_COLUMNS}, d.payload::jsonb ->> 'mode' AS mode, d.payload::jsonb ->> 'label' AS period
     FROM deliveries d, stories s
     WHERE s.id = $1 AND d.channel_ref = $2 AND d.kind = 'digest'
       AND EXISTS (SELECT 1 FROM jsonb_array_elements(d.payload::jsonb -> 'events') e
                   WHERE e ->> 0 = coalesce(s.event_rowid, s.rowid)::text)
     ORDER BY d.id`,
    [storyId, channelRef],
  );
  return [...own.rows, ...digests.rows];
}
