// The digest seam: digest subscriptions, the stories of a period, and queueing one digest row per key.

import type { ActorTag, CountryTag, MalwareTag, SectorTag } from "../core/article.js";
import type { DigestSchedule } from "../core/digest.js";
import type { Platform } from "../core/platform.js";
import type { TagKey } from "../core/tags.js";

/** An active subscription that gathers its stories into a digest. */
export interface DigestSubscription {
  channelRef: string;
  platform: Platform;
  tag: TagKey;
  schedule: DigestSchedule;
  /** When the subscription took this schedule (epoch ms): periods that ended before it are not sent. */
  since: number;
}

/** A story ingested in a period, with what the matching rule needs and the event it belongs to. */
export interface DigestCandidate {
  rowid: number;
  /** The event's first story (the story's own rowid when it is its own event). */
  event: number;
  actors: ActorTag[];
  countries: CountryTag[];
  cyber: boolean;
  sectors: SectorTag[];
  malware: MalwareTag[];
  cves: string[];
}

/**
 * What a digest row's `payload` holds (JSON): its period, and its events most-reported first as
 * [event rowid, stories in the event]; `total` events in all (the list may be cut).
 */
export interface DigestPayload {
  v: 1;
  mode: DigestSchedule["mode"];
  at: string;
  zone: string;
  start: number;
  end: number;
  label: string;
  events: Array<[number, number]>;
  total: number;
}

/** The lookups a digest's gathering makes, inside the transaction that queues it. */
export interface DigestTx {
  /** Stories ingested in [start, end) (epoch ms), except quiet ones (a feed's first poll). */
  ingestedBetween(start: number, end: number): DigestCandidate[];
  /** How many stories each event has in all. */
  eventSizes(events: readonly number[]): Map<number, number>;
  /** Which of these stories (rowids) contain the phrase, with full-text search's word forms. */
  withPhrase(phrase: string, rowids: readonly number[]): Set<number>;
}

/** The row to queue: `storyRowid` is the first event's story (the outbox row needs one). */
export interface NewDigest {
  channelRef: string;
  platform: Platform;
  tag: TagKey;
  storyRowid: number;
  payload: DigestPayload;
}

export type QueueResult = "queued" | "exists" | "empty";

export interface DigestStore {
  /** Active digest subscriptions of every channel. */
  digestSubscriptions(): Promise<DigestSubscription[]>;
  /**
   * In one transaction: nothing when a row with `key` exists; else `build` gathers the digest (null when the
   * period has nothing) and its row is queued (INSERT OR IGNORE on the key).
   */
  queueDigest(key: string, build: (tx: DigestTx) => NewDigest | null): Promise<QueueResult>;
}
