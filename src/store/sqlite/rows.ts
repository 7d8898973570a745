// Mapping between SQLite rows and store records.

import type { ActorTag, CountryTag } from "../../core/article.js";
import type { StorySummary } from "../../core/story.js";
import type { StoryRecord } from "../types.js";

export interface StoryRow {
  rowid: number;
  id: string;
  path: string;
  content_hash: string;
  revision: number;
  date: string;
  date_estimated: number;
  title: string;
  body?: string;
  summary: string;
  url: string | null;
  source: string | null;
  tags_json: string;
  ingested_at: string;
  updated_at: string;
  /** Other stories of its event (SUMMARY_COLUMNS counts them). */
  sources?: number;
}

/** Columns for lists: everything but the body. */
export const SUMMARY_COLUMNS =
  "s.rowid, s.id, s.path, s.content_hash, s.revision, s.date, s.date_estimated, s.title, s.summary, s.url, s.source, s.tags_json, s.ingested_at, s.updated_at, (SELECT count(*) FROM stories e WHERE e.event_rowid = coalesce(s.event_rowid, s.rowid)) AS sources";

/**
 * A story that opens its event (or was stored before events): lists show an event once, by its first story.
 * The other stories of an event are counted on its card ("+2 sources") and listed by `/cyber why`.
 */
export const LEADS_ONLY = "s.event_rowid IS NULL";

export function toSummary(row: StoryRow): StorySummary {
  const tags = JSON.parse(row.tags_json) as { actors: ActorTag[]; countries: CountryTag[] };
  return {
    id: row.id,
    path: row.path,
    revision: row.revision,
    date: row.date,
    dateEstimated: row.date_estimated === 1,
    title: row.title,
    summary: row.summary,
    url: row.url,
    source: row.source,
    ingestedAt: row.ingested_at,
    updatedAt: row.updated_at,
    actors: tags.actors,
    countries: tags.countries,
    ...(row.sources ? { sources: row.sources } : {}),
  };
}

export const toRecord = (row: StoryRow): StoryRecord => ({
  ...toSummary(row),
  body: row.body ?? "",
  contentHash: row.content_hash,
});

/** The distinct words that triggered a tag; offsets of every mention stay in the story's tags_json. */
function evidenceWords(matched: Array<{ text: string }>): string {
  return JSON.stringify([...new Set(matched.map((m) => m.text))]);
}

type TagRow = { kind: "actor" | "country"; value: string; role: string; matched: string };

/**
 * The rows written to story_tags: actors, countries under '' (any role), and a 'sponsor' row for blamed ones.
 * Tags without their evidence (an event's first story as deciding events keeps it) give rows matching "[]".
 */
export function tagRows(
  actors: ReadonlyArray<Pick<ActorTag, "id"> & { matched?: ActorTag["matched"] }>,
  countries: ReadonlyArray<Pick<CountryTag, "code" | "roles"> & { matched?: CountryTag["matched"] }>,
): TagRow[] {
  const rows: TagRow[] = [];
  for (const a of actors)
    rows.push({ kind: "actor", value: a.id, role: "", matched: evidenceWords(a.matched ?? []) });
  for (const c of countries) {
    const matched = evidenceWords(c.matched ?? []);
    rows.push({ kind: "country", value: c.code, role: "", matched });
    // Only "blamed" needs its own row ("sponsor:CN"); every country tag is already under role '' (any role).
    if (c.roles.includes("sponsor"))
      rows.push({ kind: "country", value: c.code, role: "sponsor", matched: "[]" });
  }
  return rows;
}

/** A tag row's identity (kind, value, role) as one string. */
export const tagRowKey = (t: { kind: string; value: string; role: string }): string =>
  `${t.kind}\x1f${t.value}\x1f${t.role}`;

/** The identities of the tag rows of a story with these tags. */
export const tagRowKeys = (
  actors: ReadonlyArray<string>,
  countries: ReadonlyArray<Pick<CountryTag, "code" | "roles">>,
): Set<string> =>
  new Set(
    tagRows(
      actors.map((id) => ({ id })),
      countries,
    ).map(tagRowKey),
  );
