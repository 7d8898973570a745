// The outbox lookups and inserts a save transaction offers alerts/routing: plain statements, keys given by it.

import type Database from "better-sqlite3";
import type { Clock } from "../../core/clock.js";
import type { TagKey } from "../../core/tags.js";
import type { ActiveSubscription, NewDelivery, OutboxTx, QueuedAlert } from "../outbox.js";

type Sql = (text: string) => Database.Statement;

/** One probe of the partial index of active subscriptions per key: cost follows the matches, not the table. */
const ACTIVE_BY_TAG =
  "SELECT channel_ref AS channelRef, platform, tag FROM subscriptions WHERE state = 'active' AND tag = ?";

/** Against the one-alert-per-(story, channel) index, OR IGNORE keeps a channel's first alert of a story. */
const INSERT_ALERT = `INSERT OR IGNORE INTO deliveries
  (story_rowid, channel_ref, platform, tags, kind, status, attempts, next_attempt_at, created_at)
  VALUES (?, ?, ?, ?, 'alert', 'pending', 0, ?, ?)`;

const INSERT_UPDATE = `INSERT INTO deliveries
  (story_rowid, channel_ref, platform, tags, kind, update_of, status, attempts, next_attempt_at, created_at)
  VALUES (?, ?, ?, ?, 'update', ?, 'pending', 0, ?, ?)`;

const ALERTS_OF = `SELECT a.id, a.channel_ref AS channelRef, a.platform, a.tags, a.status,
  EXISTS (SELECT 1 FROM deliveries u WHERE u.channel_ref = a.channel_ref AND u.status = 'pending'
          AND u.update_of = a.id) AS updatePending
  FROM deliveries a WHERE a.story_rowid = ? AND a.kind = 'alert' ORDER BY a.channel_ref`;

export class SqliteOutboxTx implements OutboxTx {
  constructor(
    private readonly sql: Sql,
    private readonly clock: Clock,
    /** Told how many rows each `queue` added (the outbox's onRouted listeners). */
    private readonly added: (count: number) => void,
  ) {}

  activeSubscriptions(keys: readonly TagKey[]): ActiveSubscription[] {
    const stmt = this.sql(ACTIVE_BY_TAG);
    const found: ActiveSubscription[] = [];
    for (const key of keys) for (const row of stmt.all(key) as ActiveSubscription[]) found.push(row);
    return found;
  }

  activeChannels(channelRefs: readonly string[]): Set<string> {
    const stmt = this.sql(
      "SELECT 1 FROM subscriptions WHERE channel_ref = ? AND state = 'active' LIMIT 1",
    ).pluck();
    return new Set(channelRefs.filter((ref) => stmt.get(ref) !== undefined));
  }

  alertsOf(storyRowid: number): QueuedAlert[] {
    const rows = this.sql(ALERTS_OF).all(storyRowid) as Array<Omit<QueuedAlert, "updatePending"> & {
      updatePending: number;
    }>;
    return rows.map((r) => ({ ...r, updatePending: r.updatePending === 1 }));
  }

  queue(storyRowid: number, rows: readonly NewDelivery[]): number {
    const now = this.clock.now();
    const alert = this.sql(INSERT_ALERT);
    const update = this.sql(INSERT_UPDATE);
    let added = 0;
    for (const r of rows) {
      added +=
        r.updateOf === undefined
          ? alert.run(storyRowid, r.channelRef, r.platform, r.tags, now, now).changes
          : update.run(storyRowid, r.channelRef, r.platform, r.tags, r.updateOf, now, now).changes;
    }
    if (added > 0) this.added(added);
    return added;
  }
}
