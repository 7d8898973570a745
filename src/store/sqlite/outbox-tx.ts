// The outbox lookups and inserts a save transaction offers alerts/routing: plain statements, keys given by it.

import type Database from "better-sqlite3";
import type { Clock } from "../../core/clock.js";
import type { Platform } from "../../core/platform.js";
import type { TagKey } from "../../core/tags.js";
import type { EventAlert, NewDelivery, OutboxTx, QueuedAlert, Subscribers } from "../outbox.js";
import { KeywordScanner } from "./keywords.js";
import { tagListIds } from "./outbox-migration.js";

type Sql = (text: string) => Database.Statement;

/**
 * One probe of the partial index of active streamed subscriptions per key: cost follows the matches, not the
 * table. A story can reach thousands of channels: a JSON array of ids per platform crosses into JavaScript far
 * faster than thousands of rows.
 */
export const SUBSCRIBERS = `SELECT platform, json_group_array(channel) AS channels
  FROM subscriptions INDEXED BY subscriptions_route_channel
  WHERE state = 'active' AND mode = 'stream' AND tag = ? GROUP BY platform`;

const ANY_ACTIVE = "SELECT EXISTS (SELECT 1 FROM subscriptions WHERE state = 'active')";

/**
 * A story's alerts on one platform, from one flat JSON array of integers: each is channel id << bits | tag list
 * id (a flat array of integers is read ten times faster than an array of arrays). Against the
 * one-alert-per-(story, channel) index, OR IGNORE keeps a channel's first alert of a story.
 */
const INSERT_ALERTS = `INSERT OR IGNORE INTO outbox
  (story_rowid, channel, platform, tag_list, kind, status, attempts, next_attempt_at, created_at)
  SELECT ?, value >> ?, ?, value & ?, 'alert', 'pending', 0, ?, ? FROM json_each(?)`;

/** One alert, edit or thread reply (edits and replies are few: one per channel already alerted). */
const INSERT_ONE = `INSERT OR IGNORE INTO outbox
  (story_rowid, channel, platform, tag_list, kind, update_of, status, attempts, next_attempt_at, created_at)
  VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)`;

/** An event's stories are its first one (rowid = event) and those whose event_rowid names it. */
const EVENT_ALERTS = `SELECT d.id, d.channel, d.platform, t.tags, d.status FROM outbox d
  JOIN tag_lists t ON t.id = d.tag_list
  WHERE d.kind = 'alert' AND d.status IN ('pending', 'sending', 'sent') AND d.created_at >= ?
    AND d.story_rowid IN (SELECT rowid FROM stories WHERE rowid = ? UNION SELECT rowid FROM stories WHERE event_rowid = ?)
  ORDER BY d.channel, d.id DESC`;

const ALERTS_OF = `SELECT a.id, a.channel, a.platform, t.tags, a.status,
  EXISTS (SELECT 1 FROM outbox u WHERE u.channel = a.channel AND u.status = 'pending' AND u.kind = 'update'
          AND u.update_of = a.id) AS updatePending
  FROM outbox a JOIN tag_lists t ON t.id = a.tag_list WHERE a.story_rowid = ? AND a.kind = 'alert'
  ORDER BY a.channel`;

/** Bits of a packed alert that hold the tag list id: enough for the largest id among the rows. */
function tagBits(lists: Map<string, number>): number {
  let max = 1;
  for (const id of lists.values()) max = Math.max(max, id);
  return Math.ceil(Math.log2(max + 1));
}

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

  subscribers(key: TagKey): Subscribers {
    const rows = this.sql(SUBSCRIBERS).all(key) as Array<{ platform: Platform; channels: string }>;
    return rows.map((r) => ({ platform: r.platform, channels: JSON.parse(r.channels) as number[] }));
  }

  activeChannels(channels: readonly number[]): Set<number> {
    const stmt = this.sql(
      `SELECT 1 FROM subscriptions WHERE channel_ref = (SELECT ref FROM channels WHERE id = ?)
       AND state = 'active' LIMIT 1`,
    ).pluck();
    return new Set(channels.filter((id) => stmt.get(id) !== undefined));
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
    return rows.filter((r, i) => i === 0 || rows[i - 1]?.channel !== r.channel);
  }

  queue(storyRowid: number, rows: readonly NewDelivery[]): number {
    if (rows.length === 0) return 0;
    const now = this.clock.now();
    const lists = tagListIds(
      this.sql,
      rows.map((r) => r.tags),
    );
    const bits = tagBits(lists);
    const one = this.sql(INSERT_ONE);
    const packed = new Map<Platform, number[]>();
    let added = 0;
    for (const r of rows) {
      const list = lists.get(r.tags) as number;
      if (r.updateOf === undefined && r.channel < 2 ** (52 - bits)) {
        const values = packed.get(r.platform);
        const value = r.channel * 2 ** bits + list;
        if (values) values.push(value);
        else packed.set(r.platform, [value]);
      } else {
        const kind = r.updateOf === undefined ? "alert" : (r.kind ?? "update");
        added += one.run(storyRowid, r.channel, r.platform, list, kind, r.updateOf ?? null, now, now).changes;
      }
    }
    const insert = this.sql(INSERT_ALERTS);
    for (const [platform, values] of packed)
      added += insert.run(
        storyRowid,
        bits,
        platform,
        2 ** bits - 1,
        now,
        now,
        JSON.stringify(values),
      ).changes;
    if (added > 0) this.added(added);
    return added;
  }
}
