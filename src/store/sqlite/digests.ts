// Digests in SQLite: digest subscriptions, a period's stories grouped by event, and one 'digest' row per key.

import type Database from "better-sqlite3";
import type { Clock } from "../../core/clock.js";
import type { DigestMode } from "../../core/digest.js";
import type { Platform } from "../../core/platform.js";
import type { TagKey } from "../../core/tags.js";
import type {
  DigestCandidate,
  DigestPayload,
  DigestStore,
  DigestSubscription,
  DigestTx,
  NewDigest,
  QueueResult,
} from "../digests.js";
import { storiesWithPhrase } from "./keywords.js";
import { channelId, tagListIds } from "./outbox-migration.js";
import type { StoredTagsJson } from "./rows.js";
import { statementCache } from "./statements.js";

type Sql = (text: string) => Database.Statement;

const SUBSCRIPTIONS = `SELECT s.channel_ref AS channelRef, s.platform, s.tag, s.mode, s.at, s.created_at AS createdAt,
    (SELECT max(e.at) FROM subscription_events e
      WHERE e.channel_ref = s.channel_ref AND e.tag = s.tag AND e.action = 'subscribe') AS since
  FROM subscriptions s WHERE s.state = 'active' AND s.mode != 'stream' ORDER BY s.channel_ref, s.tag`;

// Quiet stories (a feed's first poll: items older than the feed) reach no stream and no digest either.
const INGESTED_BETWEEN = `SELECT s.rowid, coalesce(s.event_rowid, s.rowid) AS event, s.tags_json AS tags, s.cyber
  FROM stories s WHERE s.ingested_at >= ? AND s.ingested_at < ?
  AND NOT EXISTS (SELECT 1 FROM files f WHERE f.path = s.path AND f.quiet = 1) ORDER BY s.rowid`;

const EVENT_SIZE = "SELECT count(*) FROM stories WHERE rowid = ? OR event_rowid = ?";

const INSERT_DIGEST = `INSERT OR IGNORE INTO outbox
  (story_rowid, channel, platform, tag_list, kind, digest_key, payload, status, attempts, next_attempt_at, created_at)
  VALUES (?, ?, ?, ?, 'digest', ?, ?, 'pending', 0, ?, ?)`;

/** A candidate from its story row (both stores read the same columns). */
export function candidateOf(r: {
  rowid: number;
  event: number;
  tags: string;
  cyber: number;
}): DigestCandidate {
  const tags = JSON.parse(r.tags) as Partial<StoredTagsJson>;
  return {
    rowid: r.rowid,
    event: r.event,
    actors: tags.actors ?? [],
    countries: tags.countries ?? [],
    cyber: r.cyber === 1,
    sectors: tags.sectors ?? [],
    malware: tags.malware ?? [],
    cves: tags.cves ?? [],
  };
}

class Tx implements DigestTx {
  constructor(private readonly sql: Sql) {}

  ingestedBetween(start: number, end: number): DigestCandidate[] {
    const rows = this.sql(INGESTED_BETWEEN).all(
      new Date(start).toISOString(),
      new Date(end).toISOString(),
    ) as Array<{
      rowid: number;
      event: number;
      tags: string;
      cyber: number;
    }>;
    return rows.map(candidateOf);
  }

  withPhrase(phrase: string, rowids: readonly number[]): Set<number> {
    return storiesWithPhrase(this.sql, phrase, rowids);
  }

  eventSizes(events: readonly number[]): Map<number, number> {
    const stmt = this.sql(EVENT_SIZE).pluck();
    return new Map(events.map((e) => [e, stmt.get(e, e) as number]));
  }
}

/** Implements DigestStore; `added` hears each queued row (the outbox's onRouted listeners wake the dispatcher). */
/** A digest subscription's row as both stores read it. */
export interface DigestSubscriptionRow {
  channelRef: string;
  platform: Platform;
  tag: TagKey;
  mode: DigestMode;
  at: string | null;
  createdAt: string;
  since: string | null;
}

/** The row as the digest scheduler sees it: 08:00 unless set, counted from the last change of mode. */
export const digestSubscriptionOf = (r: DigestSubscriptionRow): DigestSubscription => ({
  channelRef: r.channelRef,
  platform: r.platform,
  tag: r.tag,
  schedule: { mode: r.mode, at: r.at ?? "08:00" },
  since: Date.parse(r.since ?? r.createdAt),
});

export class SqliteDigests implements DigestStore {
  private readonly sql: Sql;

  constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock,
    private readonly added: (count: number) => void,
  ) {
    this.sql = statementCache(db);
  }

  async digestSubscriptions(): Promise<DigestSubscription[]> {
    return (this.sql(SUBSCRIPTIONS).all() as DigestSubscriptionRow[]).map(digestSubscriptionOf);
  }

  async queueDigest(key: string, build: (tx: DigestTx) => NewDigest | null): Promise<QueueResult> {
    const result = this.db
      .transaction((): QueueResult => {
        if (this.sql("SELECT 1 FROM outbox WHERE digest_key = ?").pluck().get(key) !== undefined)
          return "exists";
        const digest = build(new Tx(this.sql));
        if (!digest) return "empty";
        const now = this.clock.now();
        const { changes } = this.sql(INSERT_DIGEST).run(
          digest.storyRowid,
          channelId(this.sql, digest.channelRef, digest.platform),
          digest.platform,
          tagListIds(this.sql, [digest.tag]).get(digest.tag),
          key,
          JSON.stringify(digest.payload),
          now,
          now,
        );
        return changes === 1 ? "queued" : "exists";
      })
      .immediate();
    if (result === "queued") this.added(1);
    return result;
  }
}

/** A digest row's key and payload; undefined for any other row. */
export function digestRow(sql: Sql, deliveryId: number): { key: string; payload: DigestPayload } | undefined {
  const row = sql("SELECT digest_key AS key, payload FROM outbox WHERE id = ? AND kind = 'digest'").get(
    deliveryId,
  ) as { key: string | null; payload: string | null } | undefined;
  if (!row?.key || !row.payload) return undefined;
  return { key: row.key, payload: JSON.parse(row.payload) as DigestPayload };
}
