// Shared builders for outbox and dispatcher tests: hand-made articles and analyses, a store, a settable clock.

import { join } from "node:path";
import { routeStory } from "../../src/alerts/routing.js";
import type { Config } from "../../src/config/schema.js";
import type { Analysis, Article, CountryRole } from "../../src/core/article.js";
import type { Clock } from "../../src/core/clock.js";
import type { DeliveryKind, DeliveryStatus } from "../../src/store/outbox.js";
import { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import type { StoryStore } from "../../src/store/types.js";
import { tempDir } from "../helpers/tmp.js";

/**
 * Forty made-up words drawn from `seed`: hand-made stories with different titles share almost no words, so the
 * store keeps them apart as events (two stories "Story 1" and "Story 2" alone would read as one event).
 */
export function distinctWords(seed: string): string {
  let x = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) x = Math.imul(x ^ seed.charCodeAt(i), 0x01000193) >>> 0;
  const letters = "bcdfghjklmnprstvz";
  const vowels = "aeiou";
  const out: string[] = [];
  for (let w = 0; w < 40; w++) {
    let word = "";
    for (let k = 0; k < 3; k++) {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      word += (letters[x % letters.length] as string) + (vowels[(x >>> 8) % vowels.length] as string);
    }
    out.push(word);
  }
  return `${out.join(" ")}.`;
}

export function article(path: string, title: string, body = `${title}. ${distinctWords(title)}`): Article {
  return {
    path,
    title,
    date: "2024-07-09",
    dateEstimated: false,
    url: null,
    source: null,
    blocks: [{ kind: "paragraph", text: body }],
    body,
    contentHash: `h-${title}-${body}`,
  };
}

/** `tags(["APT40"], { NZ: ["mentioned"], CN: ["sponsor"] })`; an actor matched as "Leviathan" gets that alias. */
export function tags(actors: string[], countries: Record<string, CountryRole[]> = {}): Analysis {
  return {
    summary: "A summary.",
    actors: actors.map((id) => ({
      id,
      name: id,
      attackId: null,
      sponsor: null,
      matched: [{ text: id === "APT40" ? "Leviathan" : id, offset: 0 }],
    })),
    countries: Object.entries(countries).map(([code, roles]) => ({
      code,
      name: code,
      roles,
      matched: [{ text: code, offset: 0 }],
    })),
    // A hand-made story stands for a cyber one: it reaches `all` subscribers (see relevance.test.ts for others).
    cyber: true,
    cyberEvidence: [],
    cves: [],
    sectors: [],
    malware: [],
  };
}

export const file = (path: string) => ({ path, size: 10, mtimeMs: 1 });

/** Saves as ingest does: alerts are routed inside the save transaction. */
export async function save(
  store: StoryStore,
  path: string,
  title: string,
  analysis: Analysis,
  body?: string,
) {
  return store.saveArticle(article(path, title, body), analysis, file(path), { onSaved: routeStory });
}

export class ManualClock implements Clock {
  constructor(public t = Date.parse("2024-07-09T00:00:00Z")) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export function openStore(path = join(tempDir(), "cb.db"), clock?: Clock): SqliteStoryStore {
  return new SqliteStoryStore(path, { clock });
}

export const alertsConfig = (o: Partial<Config["alerts"]> = {}): Config["alerts"] => ({
  maxAttempts: 3,
  baseRetryMs: 5,
  maxRetryMs: 20,
  floodThreshold: 5,
  floodWindowMs: 60_000,
  sendTimeoutMs: 200,
  ...o,
});

export interface DeliveryRow {
  id: number;
  story_rowid: number;
  channel_ref: string;
  platform: string;
  tags: string;
  kind: DeliveryKind;
  update_of: number | null;
  batched: number;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  message_id: string | null;
}

/** The outbox rows as stored, read through the SQLite connection (a running bot's `core.store` is that store). */
export function deliveries(store: StoryStore, channelRef?: string): DeliveryRow[] {
  if (!(store instanceof SqliteStoryStore)) throw new Error("deliveries() reads an SQLite store");
  const where = channelRef ? "WHERE channel_ref = ?" : "";
  return store.db
    .prepare(`SELECT * FROM deliveries ${where} ORDER BY id`)
    .all(...(channelRef ? [channelRef] : [])) as DeliveryRow[];
}

export const statuses = (store: StoryStore, channelRef?: string) =>
  deliveries(store, channelRef).map((d) => d.status);
