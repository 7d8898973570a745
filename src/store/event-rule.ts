// Which event a new story joins, as every store decides it: the candidates a store finds (stories sharing sketch
// keys, the recent events' first stories by tag) are judged here by analysis/same-event.ts. The SQLite store finds
// them through its in-memory index (sqlite/events.ts), the PostgreSQL store through tables (pg/events.ts).

import {
  dayNumber,
  type EventFacts,
  NEAR_COPY,
  nearCopy,
  type SameEvent,
  sameEvent,
  sameEventScore,
} from "../analysis/same-event.js";
import { estimateJaccard, fromBytes, sketchKeys, toBytes } from "../analysis/shingles.js";
import type { Analysis } from "../core/article.js";
import type { SaveOutcome } from "../core/story.js";
import type { SavedStory } from "./types.js";

/** Near-copies are looked for this many days either side of the article's date (reports in other words: MAX_DAYS). */
export const COPY_DAYS = 14;
/** Sketch keys a story must share with the new one to be judged as a possible copy (of SKETCH_KEYS). */
export const MIN_SHARED = 3;
/** A sketch key shared by more stories than this in the window is boilerplate: it is not followed. */
export const STOP_KEY = 12;
/** At most this many possible copies, and this many events' first stories, are judged per article. */
export const MAX_COPIES = 16;
export const MAX_EVENTS = 12;
/** How many of the last stored stories copies are looked for among, whatever their dates. */
export const RECENT_STORIES = 10_000;

/** The tags of an event's first story: a later story shows in lists under the tags it lacks. */
export type LeadTags = Pick<EventFacts, "actors" | "countries">;

/** An event's first story as the index keeps it: enough to judge a new report against it without a read. */
export interface Lead {
  rowid: number;
  id: string;
  day: number;
  facts: EventFacts;
}

/** What deciding events reads of a story's tags_json: its tags' ids and roles, and its CVE ids. */
export interface StoredTags {
  actors: Array<{ id: string }>;
  countries: EventFacts["countries"];
  cves?: string[];
}

/** The story a new article was judged to report the same event as. */
export interface Match {
  /** The first story of the event it joins. */
  eventRowid: number;
  id: string;
  result: SameEvent;
  /** The tags of the event's first story. */
  leadTags: LeadTags;
}

/** What deciding found for a new article: the event it joins (none: its own) and what recording it keeps. */
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

/** A possible copy as a store reads it: the story, its event, its event's first story's tags_json, its signature. */
export interface CopyRow {
  id: string;
  event: number;
  lead_tags: string;
  signature: Uint8Array;
}

/** The tag facts of a story's tags_json. */
export const tagFacts = (t: StoredTags): Pick<EventFacts, "actors" | "countries" | "cves"> => ({
  actors: t.actors.map((a) => a.id),
  countries: t.countries.map((c) => ({ code: c.code, roles: c.roles })),
  cves: t.cves ?? [],
});

const blamed = (facts: Pick<EventFacts, "countries">): string[] =>
  facts.countries.filter((c) => c.roles.includes("sponsor")).map((c) => c.code);

/**
 * What an event's first story is indexed by: each actor; each country it blames; and, when it names no actor,
 * each country it blames as "unnamed" (a report naming an actor can join only such an event by its sponsor).
 */
export function leadTags(facts: Pick<EventFacts, "actors" | "countries">): string[] {
  const tags = facts.actors.map((a) => `actor:${a}`);
  for (const code of blamed(facts)) {
    tags.push(`sponsor:${code}`);
    if (facts.actors.length === 0) tags.push(`unnamed:${code}`);
  }
  return tags;
}

/**
 * What a new report looks its event up by. Naming actors, it can join only an event whose first story shares
 * one or names none (sameEvent: different actors contradict), so the events of other actors blamed on the same
 * country are not even looked at (nor crowd out its own). Naming none, any event blamed on the same country.
 */
export function lookupTags(facts: Pick<EventFacts, "actors" | "countries">): string[] {
  if (facts.actors.length === 0) return blamed(facts).map((code) => `sponsor:${code}`);
  return [...facts.actors.map((a) => `actor:${a}`), ...blamed(facts).map((code) => `unnamed:${code}`)];
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

/**
 * The possible copies to judge, most keys shared first: stories sharing keys within the date window and among
 * the last stored (each map: story rowid → keys shared), at least MIN_SHARED, at most MAX_COPIES. The recent
 * counts are merged into `byDate` (the larger count kept).
 */
export function copyCandidates(byDate: Map<number, number>, recent: Map<number, number>): number[] {
  const shared = byDate;
  for (const [id, n] of recent) shared.set(id, Math.max(n, shared.get(id) ?? 0));
  return [...shared]
    .filter(([, n]) => n >= MIN_SHARED)
    .sort((a, b) => b[1] - a[1] || b[0] - a[0])
    .slice(0, MAX_COPIES)
    .map(([id]) => id);
}

/** The closest near-copy among the candidates' rows (in candidate order), if any is close enough. */
export function closestCopy(facts: EventFacts, rows: readonly CopyRow[]): Match | undefined {
  let best: (CopyRow & { sim: number }) | undefined;
  for (const row of rows) {
    const sim = estimateJaccard(facts.signature, fromBytes(row.signature));
    if (sim >= NEAR_COPY && (!best || sim > best.sim)) best = { ...row, sim };
  }
  if (!best) return undefined;
  const leadTags = tagFacts(JSON.parse(best.lead_tags) as StoredTags);
  return { eventRowid: best.event, id: best.id, result: nearCopy(best.sim), leadTags };
}

/** The recent events' first stories the article reports in other words, best score first. */
export function judgeLeads(facts: EventFacts, leads: readonly Lead[]): Lead[] {
  const judged: Array<{ lead: Lead; score: number }> = [];
  for (const lead of leads) {
    const { same, score } = sameEventScore(facts, lead.facts);
    if (same) judged.push({ lead, score });
  }
  return judged.sort((a, b) => b.score - a.score).map((j) => j.lead);
}

/** The match with the first story `lead` (its reasons are written out for the chosen one only). */
export const reportMatch = (facts: EventFacts, lead: Lead): Match => ({
  eventRowid: lead.rowid,
  id: lead.id,
  result: sameEvent(facts, lead.facts),
  leadTags: lead.facts,
});

/** The decision for an article: it joins the match's event, or opens its own without one. */
export function decisionOf(facts: EventFacts, day: number, keys: number[], best?: Match): EventDecision {
  if (!best) return { facts, day, keys };
  const { result } = best;
  const merged = { with: best.id, score: Math.round(result.score * 1000) / 1000, reasons: result.reasons };
  return { facts, day, keys, eventRowid: best.eventRowid, merged, leadTags: best.leadTags };
}

/** What a store's `onSaved` callback gets for a new or revised story (types.ts SavedStory): one mapping for both stores. */
export function savedStory(
  storyRowid: number,
  outcome: SaveOutcome,
  analysis: Analysis,
  event: EventChoice,
): SavedStory {
  return {
    kind: outcome.kind === "new" ? "new" : "revised",
    storyRowid,
    storyId: outcome.storyId,
    revision: outcome.revision,
    event: { rowid: event.rowid, lead: event.lead },
    actors: analysis.actors,
    countries: analysis.countries,
    cyber: analysis.cyber,
    sectors: analysis.sectors ?? [],
    malware: analysis.malware ?? [],
    cves: analysis.cves,
  };
}
