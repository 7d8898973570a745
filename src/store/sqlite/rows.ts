// Mapping between SQLite rows and store records.

import type { ActorTag, CountryTag, Evidence, MalwareTag, SectorTag } from "../../core/article.js";
import type { StorySummary } from "../../core/story.js";
import type { StoryRecord, TagQuery } from "../types.js";

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

/** What a story's tags_json holds (sectors, malware and CVE evidence only from stories stored since issue 15). */
export interface StoredTagsJson {
  actors: ActorTag[];
  countries: CountryTag[];
  cyber?: string[];
  cves?: string[];
  sectors?: SectorTag[];
  malware?: MalwareTag[];
  /** Where each CVE id was named (by id). */
  cveMatched?: Record<string, Evidence[]>;
}

export function toSummary(row: StoryRow): StorySummary {
  const tags = JSON.parse(row.tags_json) as StoredTagsJson;
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
    actors: tags.actors ?? [],
    countries: tags.countries ?? [],
    sectors: tags.sectors ?? [],
    malware: tags.malware ?? [],
    cves: tags.cves ?? [],
    ...(row.sources ? { sources: row.sources } : {}),
  };
}

export function toRecord(row: StoryRow): StoryRecord {
  const cveMatched = (JSON.parse(row.tags_json) as StoredTagsJson).cveMatched ?? {};
  return { ...toSummary(row), body: row.body ?? "", contentHash: row.content_hash, cveMatched };
}

/** The distinct words that triggered an actor or country tag; offsets of every mention stay in tags_json. */
function evidenceWords(matched: Array<{ text: string }>): string {
  return JSON.stringify([...new Set(matched.map((m) => m.text))]);
}

/** Sector, malware and CVE rows keep their evidence whole: each word and its offset ([{ text, offset }]). */
const evidence = (matched: readonly Evidence[] | undefined): string =>
  JSON.stringify((matched ?? []).map((m) => ({ text: m.text, offset: m.offset })));

export type TagRowKind = "actor" | "country" | "sector" | "malware" | "cve";

type TagRow = { kind: TagRowKind; value: string; role: string; matched: string };

/** The tags of a story beyond its actors and countries, as rows need them. */
export interface MoreTags {
  sectors?: ReadonlyArray<Pick<SectorTag, "id"> & { matched?: Evidence[] }>;
  malware?: ReadonlyArray<Pick<MalwareTag, "id"> & { matched?: Evidence[] }>;
  cves?: readonly string[];
  cveMatched?: Readonly<Record<string, Evidence[]>>;
}

/**
 * The rows written to story_tags: actors, countries under '' (any role), a 'sponsor' row for blamed ones and a
 * 'target' row for attacked ones, then sectors, malware and CVE ids (upper case). Tags without their evidence
 * give rows matching "[]".
 */
export function tagRows(
  actors: ReadonlyArray<Pick<ActorTag, "id"> & { matched?: ActorTag["matched"] }>,
  countries: ReadonlyArray<Pick<CountryTag, "code" | "roles"> & { matched?: CountryTag["matched"] }>,
  more: MoreTags = {},
): TagRow[] {
  const rows: TagRow[] = [];
  for (const a of actors)
    rows.push({ kind: "actor", value: a.id, role: "", matched: evidenceWords(a.matched ?? []) });
  for (const c of countries) {
    const matched = evidenceWords(c.matched ?? []);
    rows.push({ kind: "country", value: c.code, role: "", matched });
    // "blamed" and "attacked" need their own rows ("sponsor:CN", "target:NZ"); any role is already under ''.
    if (c.roles.includes("sponsor"))
      rows.push({ kind: "country", value: c.code, role: "sponsor", matched: "[]" });
    if (c.roles.includes("target"))
      rows.push({ kind: "country", value: c.code, role: "target", matched: "[]" });
  }
  for (const t of more.sectors ?? [])
    rows.push({ kind: "sector", value: t.id, role: "", matched: evidence(t.matched) });
  for (const t of more.malware ?? [])
    rows.push({ kind: "malware", value: t.id, role: "", matched: evidence(t.matched) });
  for (const id of more.cves ?? []) {
    const value = id.toUpperCase();
    rows.push({ kind: "cve", value, role: "", matched: evidence(more.cveMatched?.[value]) });
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

/** The story_tags row a tag query reads: kind, value (in its stored case) and role. */
export function tagRowOf(tag: TagQuery): [string, string, string] {
  switch (tag.kind) {
    case "actor":
      return ["actor", tag.id, ""];
    case "country":
      return ["country", tag.code.toUpperCase(), tag.role ?? ""];
    case "sector":
      return ["sector", tag.id.toLowerCase(), ""];
    case "malware":
      return ["malware", tag.id, ""];
    case "cve":
      return ["cve", tag.id.toUpperCase(), ""];
  }
}
