// Digests on PostgreSQL (store/digests.ts), with the SQLite store's meaning (store/sqlite/digests.ts): digest
// subscriptions, a period's stories grouped by event, and one 'digest' row per key. The gathering runs by record
// and replay (digest-replay.ts) in one REPEATABLE READ transaction, so every lookup reads the same snapshot; the
// key's unique index makes a digest queue once even when several replicas race for it.

import type pg from "pg";
import type { Clock } from "../../core/clock.js";
import type {
  DigestCandidate,
  DigestStore,
  DigestSubscription,
  DigestTx,
  NewDigest,
  QueueResult,
} from "../digests.js";
import { candidateOf, type DigestSubscriptionRow, digestSubscriptionOf } from "../sqlite/digests.js";
import { type DigestAnswers, replay } from "./digest-replay.js";
import { queryOf } from "./lexemes.js";
import { inTransaction, type Tx } from "./open.js";
import type { Fence } from "./replica.js";
import { searchTerms } from "./search.js";

/**
 * The event a story (alias `s`) belongs to: its first story's rowid. Stories keep it in event_rowid (NULL: the
 * story opens its event), as on SQLite; `eventSizes` counts by the same column.
 */
export const EVENT_OF = "coalesce(s.event_rowid, s.rowid)";

const SUBSCRIPTIONS = `SELECT s.channel_ref AS "channelRef", s.platform, s.tag, s.mode, s.at, s.created_at AS "createdAt",
    (SELECT max(e.at COLLATE "C") FROM subscription_events e
      WHERE e.channel_ref = s.channel_ref AND e.tag = s.tag AND e.action = 'subscribe') AS since
  FROM subscriptions s WHERE s.state = 'active' AND s.mode <> 'stream'
  ORDER BY s.channel_ref COLLATE "C", s.tag COLLATE "C"`;

// Quiet stories (a feed's first poll: items older than the feed) reach no stream and no digest either. Times are
// ISO-8601 text: compared by their characters ("C"), as SQLite compares them.
const INGESTED_BETWEEN = `SELECT s.rowid, ${EVENT_OF} AS event, s.tags_json AS tags, s.cyber
  FROM stories s WHERE s.ingested_at COLLATE "C" >= $1 AND s.ingested_at COLLATE "C" < $2
  AND NOT EXISTS (SELECT 1 FROM files f WHERE f.path = s.path AND f.quiet = 1) ORDER BY s.rowid`;

const EVENT_SIZES = `SELECT e AS event, (SELECT count(*) FROM stories WHERE rowid = e OR event_rowid = e)::int AS n
  FROM unnest($1::int[]) AS e`;

const INSERT_DIGEST = `INSERT INTO deliveries
  (story_rowid, channel_ref, platform, tags, kind, digest_key, payload, status, attempts, next_attempt_at, created_at)
  VALUES ($1, $2, $3, $4, 'digest', $5, $6, 'pending', 0, $7, $7)
  ON CONFLICT (digest_key) DO NOTHING`;

/** PostgreSQL's serialization failure: a replica queued the same key after this transaction's snapshot. */
const SERIALIZATION_FAILURE = "40001";
/** Transactions tried per digest: a retry after a serialization failure sees the other replica's row. */
const ATTEMPTS = 3;

/** The lookups of DigestTx as queries in the queueing transaction. */
function answersIn(tx: Tx): DigestAnswers {
  return {
    async between(start, end): Promise<DigestCandidate[]> {
      const rows = await tx.query<{ rowid: number; event: number; tags: string; cyber: number }>(
        INGESTED_BETWEEN,
        [new Date(start).toISOString(), new Date(end).toISOString()],
      );
      return rows.rows.map(candidateOf);
    },
    async sizes(events) {
      const rows = await tx.query<{ event: number; n: number }>(EVENT_SIZES, [events]);
      return new Map(rows.rows.map((r) => [r.event, r.n]));
    },
    async phrase(phrase, rowids) {
      if (rowids.length === 0) return new Set();
      const query = await queryOf(tx, searchTerms([phrase]));
      if (!query) return new Set();
      const rows = await tx.query<{ rowid: number }>(
        "SELECT rowid FROM stories WHERE rowid = ANY($1::int[]) AND search @@ $2::tsquery",
        [rowids, query],
      );
      return new Set(rows.rows.map((r) => r.rowid));
    },
  };
}

/** Implements DigestStore; `added` hears each queued row (this replica's dispatcher may wake for it). */
export class PgDigests implements DigestStore {
  /** Checked first in each queueing transaction when set: the scheduler leader's term (replica.ts). */
  fence: Fence | null = null;

  constructor(
    private readonly pool: pg.Pool,
    private readonly clock: Clock,
    private readonly added: (count: number) => void = () => {},
  ) {}

  async digestSubscriptions(): Promise<DigestSubscription[]> {
    return (await this.pool.query<DigestSubscriptionRow>(SUBSCRIPTIONS)).rows.map(digestSubscriptionOf);
  }

  async queueDigest(key: string, build: (tx: DigestTx) => NewDigest | null): Promise<QueueResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await inTransaction(this.pool, (tx) => this.queueIn(tx, key, build));
        if (result === "queued") this.added(1);
        return result;
      } catch (err) {
        if ((err as { code?: unknown }).code !== SERIALIZATION_FAILURE || attempt >= ATTEMPTS) throw err;
      }
    }
  }

  private async queueIn(
    tx: Tx,
    key: string,
    build: (tx: DigestTx) => NewDigest | null,
  ): Promise<QueueResult> {
    await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    await this.fence?.(tx);
    const found = await tx.query("SELECT 1 FROM deliveries WHERE digest_key = $1", [key]);
    if (found.rowCount) return "exists";
    const digest = await replay(build, answersIn(tx));
    if (!digest) return "empty";
    // A row another replica committed after this snapshot was taken fails this insert with a serialization
    // failure (queueDigest tries again and finds it); one committed before it is found above.
    const inserted = await tx.query(INSERT_DIGEST, [
      digest.storyRowid,
      digest.channelRef,
      digest.platform,
      digest.tag,
      key,
      JSON.stringify(digest.payload),
      this.clock.now(),
    ]);
    return inserted.rowCount === 1 ? "queued" : "exists";
  }
}
