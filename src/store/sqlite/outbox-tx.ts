// The outbox lookups and inserts a save transaction offers alerts/routing: plain statements, keys given by it.

import type Database from "better-sqlite3";
import type { Clock } from "../../core/clock.js";
import type { TagKey } from "../../core/tags.js";
import type { EventAlert, NewDelivery, OutboxTx, QueuedAlert } from "../outbox.js";
import { KeywordScanner } from "./keywords.js";

type Sql = (text: string) => Database.Statement;

/**
 * One probe of the partial index of active subscriptions per key: cost follows the matches, not the table. The
 * rows come back as one JSON text: a story can reach thousands of channels, and one string crosses into
 * JavaScript far faster than thousands of rows.
 */
export const SUBSCRIBERS =
  "SELECT json_group_array(channel_ref) FROM subscriptions WHERE state = 'active' AND mode = 'stream' AND tag = ?";

const ANY_ACTIVE = "SELECT EXISTS (SELECT 1 FROM subscriptions WHERE state = 'active')";

/**
 * The rows arrive as one JSON array of [channel, platform, tags(, alert id)] for the same reason. Against the
 * one-alert-per-(story, channel) index, OR IGNORE keeps a channel's first alert of a story.
 */
const INSERT_ALERTS = `INSERT OR IGNORE INTO deliveries
  (story_rowid, channel_ref, platform, tags, kind, status, attempts, next_attempt_at, created_at)
  SELECT ?, value ->> 0, value ->> 1, value ->> 2, 'alert', 'pending', 0, ?, ? FROM jsonb_each(jsonb(?))`;

const INSERT_UPDATES = `INSERT INTO deliveries
  (story_rowid, channel_ref, platform, tags, kind, update_of, status, attempts, next_attempt_at, created_at)
  SELECT ?, value ->> 0, value ->> 1, value ->> 2, 'update', value ->> 3, 'pending', 0, ?, ?
  FROM jsonb_each(jsonb(?))`;

const INSERT_SOURCES = `INSERT INTO deliveries
  (story_rowid, channel_ref, platform, tags, kind, update_of, status, attempts, next_attempt_at, created_at)
  SELECT ?, value ->> 0, value ->> 1, value ->> 2, 'source', value ->> 3, 'pending', 0, ?, ?
  FROM jsonb_each(jsonb(?))`;

/** An event's stories are its first one (rowid = event) and those whose event_rowid names it. */
const EVENT_ALERTS = `SELECT d.id, d.channel_ref AS channelRef, d.platform, d.tags, d.status FROM deliveries d
  WHERE d.kind = 'alert' AND d.status IN ('pending', 'sending', 'sent') AND d.created_at >= ?
    AND d.story_rowid IN (SELECT rowid FROM stories WHERE rowid = ? UNION SELECT rowid FROM stories WHERE event_rowid = ?)
  ORDER BY d.channel_ref, d.id DESC`;

const ALERTS_OF = `SELECT a.id, a.channel_ref AS channelRef, a.platform, a.tags, a.status,
  EXISTS (SELECT 1 FROM deliveries u WHERE u.channel_ref = a.channel_ref AND u.status = 'pending' AND u.kind = 'update'
          AND u.update_of = a.id) AS updatePending
  FROM deliveries a WHERE a.story_rowid = ? AND a.kind = 'alert' ORDER BY a.channel_ref`;

export class SqliteOutboxTx implements OutboxTx {
  private readonly keywords: KeywordScanner;

  constructor(
    private readonly sql: Sql,
    private readonly clock: Clock,
    /** Told how many rows each `queue` added (the outbox's onRouted listeners). */
    private readonly added: (count: number) => void,
    db: Database.Database,
  ) {
    this.keywords = new KeywordScanner(db, sql);
  }

  keywordHits(storyRowid: number): TagKey[] {
    return this.keywords.hits(
      () =>
        this.sql("SELECT title, body FROM stories WHERE rowid = ?").get(storyRowid) as
          | { title: string; body: string }
          | undefined,
    );
  }

  anyActive(): boolean {
    return this.sql(ANY_ACTIVE).pluck().get() === 1;
  }

  subscribers(key: TagKey): string[] {
    return JSON.parse(this.sql(SUBSCRIBERS).pluck().get(key) as string) as string[];
  }

  activeChannels(channelRefs: readonly string[]): Set<string> {
    const stmt = this.sql(
      "SELECT 1 FROM subscriptions WHERE channel_ref = ? AND state = 'active' LIMIT 1",
    ).pluck();
    return new Set(channelRefs.filter((ref) => stmt.get(ref) !== undefined));
  }

  alertsOf(storyRowid: number): QueuedAlert[] {
    const rows = this.sql(ALERTS_OF).all(storyRowid) as Array<
      Omit<QueuedAlert, "updatePending"> & {
        updatePending: number;
      }
    >;
    return rows.map((r) => ({ ...r, updatePending: r.updatePending === 1 }));
  }

  eventAlerts(eventRowid: number, withinMs: number): EventAlert[] {
    const since = this.clock.now() - withinMs;
    const rows = this.sql(EVENT_ALERTS).all(since, eventRowid, eventRowid) as EventAlert[];
    // Newest first within each channel: keep that one.
    return rows.filter((r, i) => i === 0 || rows[i - 1]?.channelRef !== r.channelRef);
  }

  queue(storyRowid: number, rows: readonly NewDelivery[]): number {
    const now = this.clock.now();
    const alerts = rows
      .filter((r) => r.updateOf === undefined)
      .map((r) => [r.channelRef, r.platform, r.tags]);
    const linked = (kind: NewDelivery["kind"]) =>
      rows
        .filter((r) => r.updateOf !== undefined && r.kind === kind)
        .map((r) => [r.channelRef, r.platform, r.tags, r.updateOf]);
    const updates = linked(undefined);
    const sources = linked("source");
    let added = 0;
    if (alerts.length > 0)
      added += this.sql(INSERT_ALERTS).run(storyRowid, now, now, JSON.stringify(alerts)).changes;
    if (updates.length > 0)
      added += this.sql(INSERT_UPDATES).run(storyRowid, now, now, JSON.stringify(updates)).changes;
    if (sources.length > 0)
      added += this.sql(INSERT_SOURCES).run(storyRowid, now, now, JSON.stringify(sources)).changes;
    if (added > 0) this.added(added);
    return added;
  }
}
