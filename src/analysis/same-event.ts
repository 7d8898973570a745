// The decision "do these two articles report the same event?": text similarity, shared tags and a time decay.

import type { Analysis, Article, CountryRole } from "../core/article.js";
import { estimateJaccard, jaccardReaches, type Signature, textSignatures } from "./shingles.js";

/** What a store keeps per story to decide whether a new article reports the same event. */
export interface EventFacts {
  /** YYYY-MM-DD. */
  date: string;
  /** MinHash of the title and body shingles (see shingles.ts). */
  signature: Signature;
  /** MinHash of the title and body content words: how much two reports in other words share. */
  topic: Signature;
  /** Canonical actor ids, e.g. "APT40". */
  actors: string[];
  countries: { code: string; roles: CountryRole[] }[];
  /** Upper-case CVE ids, e.g. "CVE-2024-21887". */
  cves?: string[];
  sectors?: string[];
}

export interface SameEvent {
  same: boolean;
  /** 0..1: the near-copy similarity, or the text score after the tag and time checks. */
  score: number;
  /** Short phrases for `/cyber why`. */
  reasons: string[];
}

/** Estimated Jaccard at or above which two texts are copies of one another, whatever their tags and dates. */
export const NEAR_COPY = 0.6;
/** Beyond this many days apart only near-copies merge. */
export const MAX_DAYS = 7;
/** The content-word similarity a same-day report in other words needs; each day apart adds DAY_STEP. */
export const MIN_TOPIC = 0.11;
export const DAY_STEP = 0.01;

/** The facts of an analysed article: its date, signatures (the analyser's when it made them), tags and CVEs. */
export function eventFacts(article: Article, analysis: Analysis): EventFacts {
  const sigs = analysis.signatures ?? textSignatures(`${article.title}\n\n${article.body}`);
  return {
    date: article.date,
    signature: sigs.signature,
    topic: sigs.topic,
    actors: analysis.actors.map((a) => a.id),
    countries: analysis.countries.map((c) => ({ code: c.code, roles: [...c.roles] })),
    cves: analysis.cves,
  };
}

const DAY_MS = 86_400_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Dates already read: a stream of news has few distinct dates, and each candidate judged reads two. */
const days = new Map<string, number>();
/** Days since 1970 of a YYYY-MM-DD date; NaN when it is not one. */
export function dayNumber(date: string): number {
  let day = days.get(date);
  if (day === undefined) {
    const m = ISO_DAY.exec(date);
    day = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS : Number.NaN;
    if (days.size >= 4096) days.clear();
    days.set(date, day);
  }
  return day;
}
function daysApart(a: string, b: string): number {
  const d = Math.abs(dayNumber(a) - dayNumber(b));
  return Number.isFinite(d) ? Math.round(d) : Number.POSITIVE_INFINITY;
}

const shared = (a: readonly string[] = [], b: readonly string[] = []): string[] => {
  const set = new Set(b);
  return a.filter((x) => set.has(x));
};
const withRole = (f: EventFacts, role: CountryRole, has: boolean): string[] =>
  f.countries.filter((c) => c.roles.includes(role) === has).map((c) => c.code);

const pct = (x: number): string => `${Math.round(x * 100)}%`;
const apart = (days: number): string =>
  days === 0 ? "same day" : days === 1 ? "1 day apart" : `${days} days apart`;

/** The tags two stories agree on, as reasons; empty when nothing ties them together. */
function agreement(a: EventFacts, b: EventFacts): string[] {
  const reasons: string[] = [];
  for (const id of shared(a.actors, b.actors)) reasons.push(`same actor ${id}`);
  for (const id of shared(a.cves, b.cves)) reasons.push(`same ${id}`);
  const sponsors = shared(withRole(a, "sponsor", true), withRole(b, "sponsor", true));
  const targets = shared(withRole(a, "sponsor", false), withRole(b, "sponsor", false));
  if (sponsors.length > 0 && targets.length > 0) {
    reasons.push(`same sponsor ${sponsors.join(", ")} and country ${targets.join(", ")}`);
  }
  return reasons;
}

const overlap = (a: readonly string[] = [], b: readonly string[] = []): boolean =>
  a.some((x) => b.includes(x));
/** Both name tags of a kind and none is shared. */
const differ = (a: readonly string[] = [], b: readonly string[] = []): boolean =>
  a.length > 0 && b.length > 0 && !overlap(a, b);
/** A country both have, blamed in both (`sponsor`) or not blamed in both. */
const sharedCountry = (a: EventFacts, b: EventFacts, sponsor: boolean): boolean =>
  a.countries.some(
    (c) =>
      c.roles.includes("sponsor") === sponsor &&
      b.countries.some((d) => d.code === c.code && d.roles.includes("sponsor") === sponsor),
  );
/** Whether `agreement` finds anything, with no reason written. */
const agrees = (a: EventFacts, b: EventFacts): boolean =>
  overlap(a.actors, b.actors) ||
  overlap(a.cves, b.cves) ||
  (sharedCountry(a, b, true) && sharedCountry(a, b, false));

/** Tags that contradict: both name actors and none is shared, or both name CVEs and none is shared. */
function conflict(a: EventFacts, b: EventFacts): string | null {
  if (differ(a.actors, b.actors))
    return `different actors (${a.actors.join(", ")} vs ${b.actors.join(", ")})`;
  return differ(a.cves, b.cves) ? "different CVEs" : null;
}

/**
 * Near-copies always merge. Otherwise two reports merge only when their dates are at most MAX_DAYS apart,
 * their tags agree and do not contradict, and the content words they share reach MIN_TOPIC + DAY_STEP per day
 * apart (the time decay). Every doubt says "not the same": a wrong merge hides a story.
 */
export function sameEvent(a: EventFacts, b: EventFacts): SameEvent {
  const sim = estimateJaccard(a.signature, b.signature);
  if (sim >= NEAR_COPY) return nearCopy(sim);
  const days = daysApart(a.date, b.date);
  if (days > MAX_DAYS) {
    return { same: false, score: 0, reasons: [days === Infinity ? "dates unknown" : apart(days)] };
  }
  const topic = estimateJaccard(a.topic, b.topic);
  const reasons = [`${pct(topic)} of key words shared`, apart(days)];
  const against = conflict(a, b);
  if (against) return { same: false, score: 0, reasons: [...reasons, against] };
  const agree = agreement(a, b);
  if (agree.length === 0) return { same: false, score: 0, reasons: [...reasons, "no shared tags"] };
  return { same: topicReaches(topic, days), score: topicScore(topic, days), reasons: [...agree, ...reasons] };
}

/** The decision for two texts whose signatures agree on `sim` (at least NEAR_COPY): copies, whatever else. */
export const nearCopy = (sim: number): SameEvent => ({
  same: true,
  score: sim,
  reasons: [`near-copy (${pct(sim)} of text shared)`],
});

/** Whether the content words shared reach what a report `days` apart needs (the time decay). */
const topicReaches = (topic: number, days: number): boolean => topic >= MIN_TOPIC + DAY_STEP * days;
/** 0.5 exactly at the threshold, rising towards 1 as the shared words double it. */
const topicScore = (topic: number, days: number): number =>
  Math.min(1, topic / (MIN_TOPIC + DAY_STEP * days) / 2);

/**
 * `sameEvent` without its reasons, for judging many candidates: the same decision and score, and no strings
 * made. The text test comes first here (the cheapest, and the one most candidates fail).
 */
export function sameEventScore(a: EventFacts, b: EventFacts): { same: boolean; score: number } {
  if (jaccardReaches(a.signature, b.signature, NEAR_COPY)) {
    return { same: true, score: estimateJaccard(a.signature, b.signature) };
  }
  const days = daysApart(a.date, b.date);
  if (days > MAX_DAYS) return NOT_SAME;
  const topic = estimateJaccard(a.topic, b.topic);
  if (!topicReaches(topic, days) || differ(a.actors, b.actors) || differ(a.cves, b.cves) || !agrees(a, b))
    return NOT_SAME;
  return { same: true, score: topicScore(topic, days) };
}

const NOT_SAME = { same: false, score: 0 } as const;
